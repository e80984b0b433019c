// Ask a worker for one job's result and wait for it: the web side of the queues that answer
// a request (infer, models). One QueueEvents listener per queue per process (Next's dev server
// reloads modules, so they live on globalThis). With Redis down, the request answers
// UNAVAILABLE within ENQUEUE_DEADLINE_MS instead of waiting for it.
import { QueueEvents } from 'bullmq';
import { closeWithin, getQueue, queuePrefix, redisConnection, toRedis } from './connection';
import type { QueueName } from './names';

/** No worker answered in time; the job is removed, as nobody waits for it any more. */
export class JobTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer from a worker within ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'JobTimeoutError';
  }
}

const g = globalThis as unknown as { honeQueueEvents?: Map<string, QueueEvents> };

export async function queueEvents(queue: QueueName): Promise<QueueEvents> {
  g.honeQueueEvents ??= new Map();
  let ev = g.honeQueueEvents.get(queue);
  if (!ev) {
    ev = new QueueEvents(queue, { connection: redisConnection(), prefix: queuePrefix() });
    ev.on('error', () => {});
    g.honeQueueEvents.set(queue, ev);
  }
  const ready = ev;
  await toRedis('listening for answers', ready, async () => undefined);
  return ready;
}

const KEEP = { removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 24 * 3600 }, attempts: 1 };

/** Adds a job and resolves with its return value; a job that runs past `timeoutMs` is removed. */
export async function requestJob(queue: QueueName, name: string, data: unknown, timeoutMs: number): Promise<unknown> {
  const events = await queueEvents(queue);
  const q = getQueue(queue);
  const job = await toRedis(`queueing ${name}`, q, () => q.add(name, data, KEEP));
  try {
    return await job.waitUntilFinished(events, timeoutMs);
  } catch (e) {
    if (/timed out|before finishing|TTL/i.test(String((e as Error).message))) {
      await job.remove().catch(() => undefined);
      throw new JobTimeoutError(timeoutMs);
    }
    throw e;
  }
}

/** Closes the listeners (tests, shutdown). */
export async function closeQueueEvents(): Promise<void> {
  await Promise.all([...(g.honeQueueEvents?.values() ?? [])].map((e) => closeWithin(e)));
  g.honeQueueEvents?.clear();
}
