// Admin: training rounds — launch one (start checkpoint, preset, stages and their settings with
// the ML core's defaults), and every round with its stages' progress.
import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { listRounds } from '@/lib/data/rounds/list-rounds';
import { launchOptions } from '@/lib/data/rounds/launch-options';
import { formatDateTime } from '@/app/_components/format';
import { LaunchForm } from './launch-form';
import { StatusBadge } from './_components/status-badge';

export const metadata: Metadata = { title: 'Training rounds' };
export const dynamic = 'force-dynamic';

export default async function RoundsPage() {
  await requirePageUser('ADMIN');
  const [rounds, options] = await Promise.all([listRounds(), launchOptions()]);
  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>Training rounds</h1>
        <Link href="/admin/checkpoints" className="btn btn-secondary btn-sm">
          Checkpoints
        </Link>
      </div>
      <section className="card" aria-labelledby="launch-title">
        <div className="card-header">
          <h2 id="launch-title" className="card-title">
            Launch a round
          </h2>
          <Link href="/admin/checkpoints/register" className="btn btn-secondary btn-sm">
            Register a base model
          </Link>
        </div>
        {options.projects.length ? <LaunchForm options={options} /> : <p className="muted">Create a project and import prompts first.</p>}
      </section>
      <section className="stack-sm" aria-labelledby="rounds-title">
        <h2 id="rounds-title">Rounds</h2>
        {rounds.length === 0 ? (
          <p className="muted">No rounds yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Round</th>
                  <th scope="col">Project</th>
                  <th scope="col">Preset</th>
                  <th scope="col">Status</th>
                  <th scope="col">Stages</th>
                  <th scope="col">Launched</th>
                </tr>
              </thead>
              <tbody>
                {rounds.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      <Link href={`/admin/rounds/${r.id}`}>Round {r.number}</Link>
                    </th>
                    <td>{r.projectName}</td>
                    <td className="mono">{r.preset}</td>
                    <td>
                      <StatusBadge status={r.status} />
                      {r.error && <div className="small field-error">{r.error}</div>}
                    </td>
                    <td className="small">
                      {r.stages.map((s) => `${s.stage.toLowerCase()} ${s.status === 'RUNNING' ? `${Math.round(s.progress * 100)}%` : s.status.toLowerCase()}`).join(' → ')}
                    </td>
                    <td className="nowrap">{formatDateTime(r.createdAt)}</td>
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
