// Admin: one project — settings, guidelines with versions, prompt and completion-set import,
// and its tasks by kind and status.
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePageUser } from '@/lib/auth/current-user';
import { isAppError } from '@/lib/data/errors';
import { getProject, type ProjectDetail } from '@/lib/data/projects/get-project';
import { TASK_KINDS, TASK_KIND_LABEL } from '@/lib/shared/labeling';
import { ProjectForm } from '../project-form';
import { GuidelinesEditor } from './guidelines-editor';
import { ImportPanel } from './import-panel';
import { ArchiveButton } from './archive-button';
import { ContextSets } from './context-sets';
import { bestOfJudgeOfProject } from '@/lib/data/sampling/best-of-reward-model';

export const metadata: Metadata = { title: 'Project' };
export const dynamic = 'force-dynamic';

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser('ADMIN');
  const { id } = await params;
  let p: ProjectDetail;
  try {
    p = await getProject(id);
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
  const bestOf = p.samplingParams.bestOf;
  const judge = bestOf > 1 ? await bestOfJudgeOfProject(p.id) : null;
  const count = (kind: string, status: string) => p.tasks.find((t) => t.kind === kind && t.status === status)?.count ?? 0;
  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>
          {p.name} {p.archived && <span className="badge badge-muted">archived</span>}
        </h1>
        <div className="row">
          <Link href="/admin/projects" className="btn btn-ghost">
            All projects
          </Link>
          <Link href={`/data/${p.id}`} className="btn">Browse data</Link>
          <ArchiveButton projectId={p.id} archived={p.archived} />
        </div>
      </div>

      <section aria-labelledby="tasks-h" className="stack-sm">
        <h2 id="tasks-h">Work</h2>
        <p className="muted">{p.prompts} prompts.</p>
        <ContextSets projectId={p.id} />
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col" className="num">
                  Open
                </th>
                <th scope="col" className="num">
                  Done
                </th>
                <th scope="col" className="num">
                  Cancelled
                </th>
              </tr>
            </thead>
            <tbody>
              {TASK_KINDS.map((k) => (
                <tr key={k}>
                  <th scope="row">{TASK_KIND_LABEL[k]}</th>
                  <td className="num">{count(k, 'OPEN')}</td>
                  <td className="num">{count(k, 'DONE')}</td>
                  <td className="num">{count(k, 'CANCELLED')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="import-h">
        <h2 id="import-h" className="card-title">
          Import
        </h2>
        <ImportPanel projectId={p.id} k={p.k} />
      </section>

      <section className="card" aria-labelledby="guide-h">
        <h2 id="guide-h" className="card-title">
          Guidelines <span className="muted small">current version {p.guidelineVersion}</span>
        </h2>
        <GuidelinesEditor projectId={p.id} body={p.guidelines} versions={p.versions} />
      </section>

      <section className="card" aria-labelledby="settings-h">
        <h2 id="settings-h" className="card-title">
          Settings
        </h2>
        <ProjectForm
          projectId={p.id}
          initial={{ name: p.name, description: p.description, k: p.k, overlap: p.overlap, mixDemonstration: p.mixDemonstration, mixDialogue: p.mixDialogue, mixRanking: p.mixRanking, leaseMinutes: p.leaseMinutes, autoPromote: p.autoPromote, samplingParams: p.samplingParams, contextRate: p.contextRate, suggestMode: p.suggestMode, editPairWeight: p.editPairWeight, goldShare: p.goldShare, goldMinAccuracy: p.goldMinAccuracy, likertMode: p.likertMode }}
        />
        <p className="muted small">
          Task mix: each imported prompt gets a demonstration task (if its weight is above 0) and a dialogue task (likewise); each completion set is a ranking task
          wanted by “overlap” labelers. The weights set how often “Next task” offers each kind. Sampling: when a policy is promoted (or prompts are imported
          while one is active) it writes K completions for up to “prompts sampled per promotion” prompts it has not sampled yet.
        </p>
        {judge && (
          <p className="muted small" data-testid="best-of-line">
            Best of {bestOf}:{' '}
            {!judge.policy
              ? 'once a policy is promoted, the reward model of its round (else the newest of its preset) keeps the best of each completion’s samples.'
              : judge.rm
                ? `each completion of ${judge.policy} is the best of ${bestOf} samples by reward model ${judge.rm.name} (${judge.rm.source}).`
                : `no reward model is ready for ${judge.policy} (none of its round or preset), so the sample queue samples plainly and says so in its log.`}
          </p>
        )}
      </section>
    </div>
  );
}
