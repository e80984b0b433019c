// Redis connections and Queue objects for producers (the web app) and workers.
import { Queue, type ConnectionOptions } from 'bullmq';
import { env } from '../env';
import type { QueueName } from './names';

export function redisConnection(): ConnectionOptions {
  const u = new URL(env().REDIS_URL);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    // BullMQ workers need this; producers fail fast instead of queueing commands forever.
    maxRetriesPerRequest: null,
  };
}

export const queuePrefix = () => env().HONE_REDIS_PREFIX;

const globalQueues = globalThis as unknown as { honeQueues?: Map<string, Queue> };
const queues = (globalQueues.honeQueues ??= new Map());

/** One Queue per name per process (producers). */
export function getQueue(name: QueueName): Queue {
  let q = queues.get(name);
  if (!q) {
    q = new Queue(name, { connection: redisConnection(), prefix: queuePrefix() });
    queues.set(name, q);
  }
  return q;
}

export async function closeQueues(): Promise<void> {
  await Promise.all([...queues.values()].map((q) => q.close()));
  queues.clear();
}
