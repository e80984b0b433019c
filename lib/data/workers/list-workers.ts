// Live workers for the admin page (/admin/workers): who serves which queues, on which
// TensorFlow.js backend and, for WebGPU, on which adapter. Read from the heartbeats each worker
// process writes every few seconds (worker/main.ts); a worker unseen for 15 s is not listed.
import { liveWorkers, type LiveWorker } from './heartbeat';
import { capacityOf } from './train-capacity';
import type { WorkerCapacity } from '../../shared/model-sizing';

export type AdapterView = {
  description: string;
  vendor: string;
  architecture: string;
  software: boolean;
  maxBufferSize: number | null;
  maxStorageBufferBindingSize: number | null;
  maxComputeWorkgroupStorageSize: number | null;
};

export type WorkerView = {
  id: string;
  hostname: string;
  queues: string[];
  /** The live TensorFlow.js backend; null while it starts, or for a worker that never loads it. */
  backend: string | null;
  /** Why that backend was chosen (what was skipped on the way), or why none is loaded. */
  backendReason: string | null;
  /** What computes, in words (e.g. "TensorFlow 2.21.0 native, through @tensorflow/tfjs-node 4.22.0"). */
  engine: string | null;
  /** XNNPACK threads on wasm. */
  threads: number | null;
  /** The WebGPU adapter the worker found (used when backend is `webgpu`). */
  adapter: AdapterView | null;
  node: string | null;
  /** What a train worker measured at start: matmul GFLOP/s and the memory its backend may use. */
  capacity: WorkerCapacity | null;
  lastSeenAt: string;
  startedAt: string;
};

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function adapterOf(v: unknown): AdapterView | null {
  if (!v || typeof v !== 'object') return null;
  const a = v as Record<string, unknown>;
  const limits = (a.limits && typeof a.limits === 'object' ? a.limits : {}) as Record<string, unknown>;
  return {
    description: str(a.description) || str(a.device) || 'unnamed adapter',
    vendor: str(a.vendor) ?? '',
    architecture: str(a.architecture) ?? '',
    software: a.software === true,
    maxBufferSize: num(limits.maxBufferSize),
    maxStorageBufferBindingSize: num(limits.maxStorageBufferBindingSize),
    maxComputeWorkgroupStorageSize: num(limits.maxComputeWorkgroupStorageSize),
  };
}

/** One heartbeat row as the admin page shows it (tolerates any shape of `info`). */
export function toWorkerView(w: LiveWorker): WorkerView {
  const info = (w.info && typeof w.info === 'object' ? w.info : {}) as Record<string, unknown>;
  return {
    id: w.id,
    hostname: w.hostname,
    queues: w.queues,
    backend: w.backend,
    backendReason: str(info.backendReason) ?? str(info.tensorflow),
    engine: str(info.engine),
    threads: num(info.threads),
    adapter: adapterOf(info.adapter),
    node: str(info.node),
    capacity: capacityOf(w),
    lastSeenAt: w.lastSeenAt.toISOString(),
    startedAt: w.startedAt.toISOString(),
  };
}

/** Live workers, most recently seen first. */
export async function listWorkers(maxAgeMs = 15_000): Promise<WorkerView[]> {
  return (await liveWorkers(maxAgeMs)).map(toWorkerView);
}
