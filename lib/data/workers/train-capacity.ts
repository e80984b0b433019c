// The live train workers that reported their capacity (matmul GFLOP/s and memory limit, measured
// at start: lib/ml/capacity.ts), for the launch form's estimates and the launcher's fit check.
import { WorkerCapacitySchema, type CapacityOf } from '../../shared/model-sizing';
import { liveWorkers, type LiveWorker } from './heartbeat';

/** A heartbeat's info.capacity, or null when absent or malformed (an older worker). */
export function capacityOf(w: Pick<LiveWorker, 'info'>): CapacityOf['capacity'] | null {
  const info = (w.info && typeof w.info === 'object' ? w.info : {}) as Record<string, unknown>;
  const r = WorkerCapacitySchema.safeParse(info.capacity);
  return r.success ? r.data : null;
}

/** Live workers serving `train` with a capacity, most memory first. */
export async function trainCapacities(maxAgeMs = 15_000): Promise<CapacityOf[]> {
  const out: CapacityOf[] = [];
  for (const w of await liveWorkers(maxAgeMs)) {
    if (!w.queues.includes('train')) continue;
    const capacity = capacityOf(w);
    if (capacity) out.push({ id: w.id, hostname: w.hostname, backend: w.backend, capacity });
  }
  return out.sort((a, b) => (b.capacity.memoryBytes ?? Infinity) - (a.capacity.memoryBytes ?? Infinity));
}
