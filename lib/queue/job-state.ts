// What BullMQ knows about one job, for the reconciler and for cancel: its state (or 'missing'
// when Redis has no such job), whether a worker holds its lock right now, and why it failed.
import { getQueue, toRedis } from './connection';
import type { QueueName } from './names';

export type QueueJobState = {
  state: 'missing' | 'completed' | 'failed' | 'delayed' | 'active' | 'waiting' | 'waiting-children' | 'prioritized' | 'unknown';
  /** A live worker holds the job's lock (it renews it every lockDuration/2). */
  locked: boolean;
  failedReason: string | null;
};

export async function queueJobState(queue: QueueName, jobId: string): Promise<QueueJobState> {
  const q = getQueue(queue);
  return toRedis(`reading job ${jobId}`, q, async () => {
    const job = await q.getJob(jobId);
    if (!job) return { state: 'missing', locked: false, failedReason: null };
    const client = await q.backend.client;
    const [state, lock] = await Promise.all([job.getState(), client.get(q.toKey(`${jobId}:lock`))]);
    return { state: state as QueueJobState['state'], locked: lock !== null, failedReason: job.failedReason ?? null };
  });
}
