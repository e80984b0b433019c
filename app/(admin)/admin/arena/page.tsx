// Admin: arena evaluations — start a blind A/B evaluation of two or more checkpoints on the
// project's held-out prompts, and every evaluation with its status and votes so far. Each links
// to its own page (leaderboard, pairs, export, close).
import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { listEvaluations, type EvaluationSummary } from '@/lib/data/arena/list-evaluations';
import { arenaStartOptions } from '@/lib/data/arena/start-options';
import { formatDateTime } from '@/app/_components/format';
import { StartArenaForm } from './start-form';

export const metadata: Metadata = { title: 'Arena evaluations' };
export const dynamic = 'force-dynamic';

const BADGE: Record<EvaluationSummary['status'], string> = {
  GENERATING: 'badge badge-researcher',
  OPEN: 'badge badge-success',
  CLOSED: 'badge badge-muted',
  FAILED: 'badge badge-danger',
};

function statusText(e: EvaluationSummary): string {
  if (e.status === 'GENERATING') return e.progress?.totalSteps ? `writing replies ${e.progress.step}/${e.progress.totalSteps}` : 'writing replies';
  return e.status.toLowerCase();
}

export default async function ArenaPage() {
  await requirePageUser('ADMIN');
  const [evaluations, projects] = await Promise.all([listEvaluations(), arenaStartOptions()]);
  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>Arena evaluations</h1>
        <Link href="/admin/rounds" className="btn btn-secondary btn-sm">
          Rounds
        </Link>
      </div>
      <p className="muted">
        Labelers compare two checkpoints&apos; replies to the same held-out prompt side by side, without knowing which model wrote which, and vote A, B, tie or both bad. While an evaluation is open its votes come
        before the project&apos;s other tasks.
      </p>
      <section className="card" aria-labelledby="start-title">
        <div className="card-header">
          <h2 id="start-title" className="card-title">
            Start an evaluation
          </h2>
        </div>
        {projects.length ? <StartArenaForm projects={projects} /> : <p className="muted">Create a project and train or register a model first.</p>}
      </section>
      <section className="stack-sm" aria-labelledby="list-title">
        <h2 id="list-title">Evaluations</h2>
        {evaluations.length === 0 ? (
          <p className="muted">No evaluations yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Project</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Models
                  </th>
                  <th scope="col" className="num">
                    Votes (done / wanted)
                  </th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {evaluations.map((e) => (
                  <tr key={e.id}>
                    <th scope="row">
                      <Link href={`/admin/arena/${e.id}`}>{e.name}</Link>
                    </th>
                    <td>{e.projectName}</td>
                    <td>
                      <span className={BADGE[e.status]}>{statusText(e)}</span>
                      {e.error && <div className="small field-error">{e.error}</div>}
                    </td>
                    <td className="num">{e.models}</td>
                    <td className="num">
                      {e.votes} / {e.votesWanted}
                    </td>
                    <td className="nowrap">{formatDateTime(e.createdAt)}</td>
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
