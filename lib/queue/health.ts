// Redis part of /api/health, and a round trip through the `health` queue to a live worker.
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { env } from '../env';
import { withDeadline } from '../data/outage';
import { closeWithin, getQueue, redisConnection, queuePrefix } from './connection';
import { QUEUES } from './names';

// One small client for PINGs, kept for the life of the process; it never queues commands
// while disconnected, so a down Redis answers at once instead of hanging the health check.
const g = globalThis as unknown as { honePingClient?: Redis };
function pingClient(): Redis {
  g.honePingClient ??= new Redis(env().REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  g.honePingClient.on('error', () => {});
  return g.honePingClient;
}

export async function redisHealth(): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const t0 = performance.now();
  try {
    const client = pingClient();
    const pong = await Promise.race([
      (client.status === 'ready' ? Promise.resolve() : new Promise<void>((res) => client.once('ready', () => res()))).then(() => client.ping()),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no answer within 2 s')), 2000)),
    ]);
    return { ok: pong === 'PONG', latencyMs: Math.round(performance.now() - t0) };
  } catch (e) {
    return { ok: false, latencyMs: Math.round(performance.now() - t0), error: (e as Error).message };
  }
}

/**
 * Sends a job through the health queue and waits for a worker to answer it. The whole trip,
 * connecting included, is bounded by `timeoutMs`: with Redis down the listener would otherwise
 * wait for it forever.
 */
export async function workerRoundTrip(timeoutMs = 5000): Promise<{ ok: boolean; latencyMs: number; workerId?: string; error?: string }> {
  const t0 = performance.now();
  const events = new QueueEvents(QUEUES.health, { connection: redisConnection(), prefix: queuePrefix() });
  events.on('error', () => {});
  try {
    const trip = (async () => {
      await events.waitUntilReady();
      // Kept for a minute, not removed at once: a fast worker can finish and remove the job before
      // waitUntilFinished polls it, which BullMQ then reports as a failure (a missing key).
      const job = await getQueue(QUEUES.health).add('ping', { at: new Date().toISOString() }, { removeOnComplete: { age: 60 }, removeOnFail: { age: 60 } });
      return (await job.waitUntilFinished(events, timeoutMs)) as { workerId: string };
    })();
    const result = await withDeadline(trip, timeoutMs, 'the health queue');
    return { ok: true, latencyMs: Math.round(performance.now() - t0), workerId: result.workerId };
  } catch (e) {
    return { ok: false, latencyMs: Math.round(performance.now() - t0), error: (e as Error).message };
  } finally {
    // Closing waits for Redis too; never let it hold the answer.
    await closeWithin(events, 500);
  }
}
