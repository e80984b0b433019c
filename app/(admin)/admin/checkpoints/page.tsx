// Admin: every checkpoint with its model, lineage, snapshot hash and metrics; promote a policy;
// register a Hugging Face base model.
import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { listCheckpoints } from '@/lib/data/checkpoints/list-checkpoints';
import { formatDateTime } from '@/app/_components/format';
import { StatusBadge } from '../rounds/_components/status-badge';
import { describeShape, shortShape } from '@/lib/shared/model-shape';
import { formatBytes } from '@/lib/shared/model-sizing';
import { PromoteButton } from './promote-button';

export const metadata: Metadata = { title: 'Checkpoints' };
export const dynamic = 'force-dynamic';

const brief = (m: Record<string, unknown>) =>
  Object.entries(m)
    .filter(([, v]) => typeof v === 'number')
    .slice(0, 4)
    .map(([k, v]) => `${k} ${(v as number).toPrecision(3)}`)
    .join(' · ');

export default async function CheckpointsPage() {
  await requirePageUser('ADMIN');
  const rows = await listCheckpoints();
  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>Checkpoints</h1>
        <div className="row">
          <Link href="/admin/checkpoints/register" className="btn btn-primary btn-sm">
            Register a base model
          </Link>
          <Link href="/admin/rounds" className="btn btn-secondary btn-sm">
            Rounds
          </Link>
        </div>
      </div>
      {rows.length === 0 ? (
        <p className="muted">
          No checkpoints yet: launch a round, or <Link href="/admin/checkpoints/register">register a base model</Link>.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Model</th>
                <th scope="col">Project</th>
                <th scope="col">Parent</th>
                <th scope="col">Status</th>
                <th scope="col">Metrics</th>
                <th scope="col">Snapshot</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <th scope="row" className="mono small">
                    {c.name}
                  </th>
                  <td>{c.kind}</td>
                  <td className="small">
                    <div className="nowrap" title={c.shape ? describeShape(c.shape) : undefined}>
                      {c.shape ? shortShape(c.shape) : <span className="mono">{c.preset}</span>}
                    </div>
                    {c.source && <div className="muted">{c.source}</div>}
                    {c.weightsSha256 && (
                      <div className="muted nowrap">
                        <span className="mono" title={`sha256 ${c.weightsSha256}`}>
                          sha256 {c.weightsSha256.slice(0, 10)}
                        </span>
                        {c.sizeBytes !== null && ` · ${formatBytes(c.sizeBytes)}`}
                      </div>
                    )}
                  </td>
                  <td>{c.projectName ?? '—'}</td>
                  <td className="mono small">{c.parentName ?? '—'}</td>
                  <td>
                    <StatusBadge status={c.status} /> {c.active && <span className="badge badge-success">active</span>}
                  </td>
                  <td className="small">{brief(c.metrics)}</td>
                  <td className="mono small" title={c.snapshotSha ?? ''}>
                    {c.snapshotSha?.slice(0, 10) ?? '—'}
                  </td>
                  <td className="nowrap small">{formatDateTime(c.createdAt)}</td>
                  <td>{c.kind === 'POLICY' && !c.active && c.status === 'READY' && <PromoteButton id={c.id} name={c.name} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
