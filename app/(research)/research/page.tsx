// Research home: pick a project, build a selection, download it in any format (or queue it
// as a job, or freeze it as a snapshot); the project's snapshots and the viewer's jobs.
import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import { requirePageUser } from '@/lib/auth/current-user';
import { listProjects } from '@/lib/data/projects/list-projects';
import { listFormats } from '@/lib/data/exports/list-formats';
import { researchOverview } from '@/lib/data/exports/research-overview';
import { formatDateTime } from '@/app/_components/format';
import { ExportPanel } from './export-panel';
import { filterWords } from './filter-words';
import { ExportJobs } from './export-jobs';
import { ProjectPicker } from './project-picker';

export const metadata: Metadata = { title: 'Research' };

export default async function ResearchPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser('RESEARCHER');
  const sp = await searchParams;
  const projects = await listProjects({ includeArchived: true });
  const wanted = typeof sp.projectId === 'string' ? sp.projectId : undefined;
  const project = projects.find((p) => p.id === wanted) ?? projects[0];
  const h = await headers();
  const origin = `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host') ?? 'localhost'}`;

  if (!project) {
    return (
      <div className="stack-lg">
        <div className="page-header">
          <h1>Research</h1>
        </div>
        <div className="alert alert-info" role="status">
          There are no projects yet. Once an admin creates one and labelers rank completions, its data can be exported here.
        </div>
      </div>
    );
  }
  const o = await researchOverview(project.id, user);
  const names = { rounds: o.rounds, labelers: o.labelers };
  const snapshots = o.snapshots.map((s) => ({ ...s, filterText: filterWords(s.manifest.filter, names) }));
  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>Research</h1>
        <div className="row">
          <Link className="btn btn-sm" href={`/data/${project.id}`}>Browse data</Link>
          <Link className="btn btn-sm" href={`/research/quality?projectId=${project.id}`}>
            Quality dashboard
          </Link>
          <Link className="btn btn-sm btn-ghost" href="/account/tokens">
            API tokens
          </Link>
        </div>
      </div>

      <ProjectPicker projects={projects.map((p) => ({ id: p.id, name: p.name }))} current={project.id} />

      <p className="muted">
        {o.project.name}: {o.counts.judgements.toLocaleString()} judgements on {o.counts.sets.toLocaleString()} ranking sets ·{' '}
        {o.counts.demonstrations.toLocaleString()} demonstrations · {o.counts.conversations.toLocaleString()} dialogues
      </p>

      <section className="card" aria-labelledby="export-title">
        <h2 id="export-title" className="card-title">
          Export
        </h2>
        <ExportPanel
          projectId={project.id}
          projectSlug={o.project.slug}
          formats={listFormats()}
          rounds={o.rounds}
          labelers={o.labelers}
          snapshots={snapshots.map((s) => ({ id: s.id, sha256: s.sha256, rowCount: s.rowCount, filterText: s.filterText }))}
          origin={origin}
        />
      </section>

      <section aria-labelledby="jobs-title" className="stack-sm">
        <h2 id="jobs-title">Export jobs</h2>
        <ExportJobs initial={o.jobs} />
      </section>

      <section aria-labelledby="snapshots-title" className="stack-sm">
        <h2 id="snapshots-title">Snapshots</h2>
        {snapshots.length === 0 ? (
          <p className="muted">No snapshots yet. Freeze a selection to get a dataset that never changes, with a sha256 you can cite.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Snapshot</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Filter</th>
                  <th scope="col" className="num">Items</th>
                  <th scope="col">sha256</th>
                  <th scope="col">Created</th>
                  <th scope="col">Manifest</th>
                </tr>
              </thead>
              <tbody>
                {snapshots.map((s) => (
                  <tr key={s.id}>
                    <th scope="row" className="mono small">
                      {s.id.slice(0, 8)}
                    </th>
                    <td>{s.kind}</td>
                    <td>{s.filterText}</td>
                    <td className="num">{s.rowCount.toLocaleString()}</td>
                    <td className="mono small" title={s.sha256}>
                      {s.sha256.slice(0, 16)}…
                    </td>
                    <td className="nowrap">{formatDateTime(s.createdAt)}</td>
                    <td>
                      <a href={`/api/snapshots/${s.id}`}>JSON</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
