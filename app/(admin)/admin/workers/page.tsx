// Admin: the live worker processes, the queues each serves, and the TensorFlow.js backend it
// actually runs on (with the WebGPU adapter and its limits on GPU machines). Live = a heartbeat
// within the last 15 s; each worker writes one every 5 s.
import type { Metadata } from 'next';
import { requirePageUser } from '@/lib/auth/current-user';
import { listWorkers, type AdapterView, type WorkerView } from '@/lib/data/workers/list-workers';
import { formatDateTime } from '@/app/_components/format';
import { isGpuBackend } from '@/lib/shared/backends';
import { formatBytes } from '@/lib/shared/model-sizing';

export const metadata: Metadata = { title: 'Workers' };
export const dynamic = 'force-dynamic';

function size(b: number | null): string {
  if (b === null) return '—';
  if (b >= 1024 ** 3) return `${(b / 1024 ** 3).toFixed(1)} GiB`;
  if (b >= 1024 ** 2) return `${Math.round(b / 1024 ** 2)} MiB`;
  return `${Math.round(b / 1024)} KiB`;
}

function secondsAgo(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return `${s} s ago`;
}

function BackendCell({ w }: { w: WorkerView }) {
  if (!w.backend) return <span className="muted">{w.backendReason ? 'none' : 'starting…'}</span>;
  const gpu = isGpuBackend(w.backend);
  return (
    <span className={`badge ${gpu ? 'badge-success' : 'badge-muted'}`}>
      {w.backend}
      {w.threads ? ` · ${w.threads} thread${w.threads > 1 ? 's' : ''}` : ''}
    </span>
  );
}

function AdapterCell({ a, used }: { a: AdapterView | null; used: boolean }) {
  if (!a) return <span className="muted">—</span>;
  return (
    <div className="stack-sm small">
      <span>
        {a.description}{' '}
        {a.software && <span className="badge badge-muted">software</span>}
        {!used && <span className="badge badge-muted">not used</span>}
      </span>
      <span className="muted">
        {[a.vendor, a.architecture].filter(Boolean).join(' / ') || 'unknown vendor'} · max buffer {size(a.maxBufferSize)} · max binding{' '}
        {size(a.maxStorageBufferBindingSize)} · workgroup storage {size(a.maxComputeWorkgroupStorageSize)}
      </span>
    </div>
  );
}

function CapacityCell({ w }: { w: WorkerView }) {
  const c = w.capacity;
  if (!c) return <span className="muted small">{w.queues.includes('train') ? 'not reported' : '—'}</span>;
  return (
    <div className="stack-sm small">
      <span>
        {c.gflops.toFixed(1)} GFLOP/s matmul{c.opMs !== undefined ? ` · ${c.opMs.toFixed(2)} ms per op` : ''}
      </span>
      <span className="muted">
        memory {c.memoryBytes === null ? 'unknown' : formatBytes(c.memoryBytes)}
        {c.memorySource ? ` (${c.memorySource})` : ''} · measured {formatDateTime(c.measuredAt)}
      </span>
    </div>
  );
}

export default async function WorkersPage() {
  await requirePageUser('ADMIN');
  const workers = await listWorkers();
  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>Workers</h1>
        <span className="muted small">
          {workers.length} live · reload to refresh
        </span>
      </div>
      {workers.length === 0 ? (
        <div className="alert alert-warning" role="status">
          No worker has sent a heartbeat in the last 15 seconds. Start one with <code>npm run worker</code> (set{' '}
          <code>HONE_WORKER_QUEUES</code> to choose its queues, e.g. <code>train,sample</code> on a GPU machine and <code>export</code> on a
          CPU one).
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Worker</th>
                <th scope="col">Host</th>
                <th scope="col">Queues</th>
                <th scope="col">Backend</th>
                <th scope="col">Adapter</th>
                <th scope="col">Capacity</th>
                <th scope="col">Last seen</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {workers.map((w) => (
                <tr key={w.id}>
                  <th scope="row" className="mono small">
                    {w.id}
                  </th>
                  <td className="small">
                    {w.hostname}
                    {w.node && <div className="muted">Node {w.node}</div>}
                  </td>
                  <td>
                    <div className="row">
                      {w.queues.map((q) => (
                        <span key={q} className="badge badge-muted">
                          {q}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td style={{ minWidth: '15rem' }}>
                    <div className="stack-sm">
                      <div>
                        <BackendCell w={w} />
                      </div>
                      {w.engine && <span className="small">{w.engine}</span>}
                      {w.backendReason && <span className="muted small">{w.backendReason}</span>}
                    </div>
                  </td>
                  <td>
                    <AdapterCell a={w.adapter} used={w.backend === 'webgpu'} />
                  </td>
                  <td style={{ minWidth: '12rem' }}>
                    <CapacityCell w={w} />
                  </td>
                  <td className="nowrap small">{secondsAgo(w.lastSeenAt)}</td>
                  <td className="nowrap small">{formatDateTime(w.startedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
