// Admin: mark the true order ("gold") of ranking sets. Labelers' agreement with gold orders
// shows on /research/quality and filters exports (minGoldAgreement). The order is set with the
// drag-and-drop cards labelers rank with; saving refreshes both lists.
import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { listProjects } from '@/lib/data/projects/list-projects';
import { listGoldSets } from '@/lib/data/gold/list-gold-sets';
import { setDetail } from '@/lib/data/quality/set-detail';
import { isAppError } from '@/lib/data/errors';
import { ProjectPicker } from '@/app/(research)/research/project-picker';
import { LongText } from '@/app/_components/markdown';
import { GoldForm } from './gold-form';

export const metadata: Metadata = { title: 'Gold sets' };
export const dynamic = 'force-dynamic';

export default async function GoldPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageUser('ADMIN');
  const sp = await searchParams;
  const projects = await listProjects({ includeArchived: true });
  const project = projects.find((p) => p.id === sp.projectId) ?? projects[0];
  if (!project) {
    return (
      <div className="stack-lg">
        <h1>Gold sets</h1>
        <p className="muted">There are no projects yet.</p>
      </div>
    );
  }
  const [gold, candidates] = await Promise.all([listGoldSets({ projectId: project.id, show: 'gold' }), listGoldSets({ projectId: project.id, show: 'candidates' })]);
  const setId = typeof sp.setId === 'string' ? sp.setId : undefined;
  // An unknown set id (an old link) shows a message, not an error page.
  const set = setId ? await setDetail(setId).catch((e: unknown) => (isAppError(e) && e.code === 'NOT_FOUND' ? null : Promise.reject(e))) : null;
  const link = (id: string) => `/admin/gold?projectId=${project.id}&setId=${id}`;

  const table = (rows: typeof gold, caption: string) => (
    <div className="table-wrap">
      <table className="table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Prompt</th>
            <th scope="col" className="num">K</th>
            <th scope="col" className="num">Judgements</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row">
                <Link href={link(r.id)} aria-current={r.id === setId ? 'true' : undefined}>
                  {r.prompt}
                </Link>
              </th>
              <td className="num">{r.k}</td>
              <td className="num">{r.judgements}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>Gold sets</h1>
        <div className="row">
          <Link className="btn btn-sm" href={`/data/${project.id}?tab=sets`}>
            Browse sets
          </Link>
          <Link className="btn btn-sm" href={`/research/quality?projectId=${project.id}`}>
            Quality dashboard
          </Link>
        </div>
      </div>
      <ProjectPicker projects={projects.map((p) => ({ id: p.id, name: p.name }))} current={project.id} />

      {setId && !set && (
        <div role="alert" className="alert alert-error">
          There is no ranking set with that id; pick one from the lists below.
        </div>
      )}
      {set && (
        <section className="card" aria-labelledby="mark-title">
          <h2 id="mark-title" className="card-title">
            {set.goldTiers ? 'Edit the gold order' : 'Mark the gold order'}
          </h2>
          <LongText text={set.prompt} />
          <p className="small">
            <Link href={`/data/${project.id}/items/set/${set.id}`}>Open this set in the data browser</Link> (its judgements in full)
          </p>
          <GoldForm key={set.id} setId={set.id} completions={set.completions} goldTiers={set.goldTiers} />
        </section>
      )}

      <section className="stack-sm" aria-labelledby="gold-list-title">
        <h2 id="gold-list-title">Gold sets ({gold.length})</h2>
        {gold.length ? table(gold, 'Sets with a gold order') : <p className="muted">No gold sets yet: pick a candidate below.</p>}
      </section>
      <section className="stack-sm" aria-labelledby="cand-title">
        <h2 id="cand-title">Candidates (most judged first)</h2>
        {candidates.length ? table(candidates, 'Sets without a gold order') : <p className="muted">No ranking sets without a gold order.</p>}
      </section>
    </div>
  );
}
