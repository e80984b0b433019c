// Redis connections and Queue objects for producers (the web app) and workers.
import { Queue, type ConnectionOptions } from 'bullmq';
import { env } from '../env';
import { AppError } from '../data/errors';
import { QUEUE_UNREACHABLE, isTransientOutage, withDeadline } from '../data/outage';
import type { QueueName } from './names';

/** How long a producer waits for Redis before it answers 503 instead of hanging. */
export const ENQUEUE_DEADLINE_MS = 2000;

/** Connection for BullMQ workers and event listeners: they block on Redis and must wait it out. */
export function redisConnection(): ConnectionOptions {
  const u = new URL(env().REDIS_URL);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    // BullMQ's blocking connections need this.
    maxRetriesPerRequest: null,
  };
}

/**
 * Connection for producers (Queue, FlowProducer): while Redis is down a command fails at once
 * instead of waiting in ioredis' offline queue, so no request hangs and no enqueue that was
 * answered 503 happens later behind the caller's back.
 */
export function producerConnection(): ConnectionOptions {
  return {
    ...redisConnection(),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: ENQUEUE_DEADLINE_MS,
    // Reconnect every second at most (BullMQ's default backs off to 20 s), so requests work
    // again soon after Redis is back.
    retryStrategy: (times: number) => Math.min(times * 200, 1000),
  };
}

export const queuePrefix = () => env().HONE_REDIS_PREFIX;

const globalQueues = globalThis as unknown as { honeQueues?: Map<string, Queue> };
const queues = (globalQueues.honeQueues ??= new Map());

/** One Queue per name per process (producers). */
export function getQueue(name: QueueName): Queue {
  let q = queues.get(name);
  if (!q) {
    q = new Queue(name, { connection: producerConnection(), prefix: queuePrefix() });
    // A Queue without an error listener would crash the process when Redis goes away.
    q.on('error', () => {});
    queues.set(name, q);
  }
  return q;
}

/**
 * Runs one producer call against Redis with a deadline: an outage (down, restarting, or silent
 * past ENQUEUE_DEADLINE_MS) becomes AppError('UNAVAILABLE'), which routes answer 503. The call
 * starts only once `producer` is connected; if the deadline passed first it never starts, so
 * a request answered 503 does not enqueue its job later when Redis comes back.
 */
export async function toRedis<T>(what: string, producer: { waitUntilReady(): Promise<unknown> }, work: () => Promise<T>, ms = ENQUEUE_DEADLINE_MS): Promise<T> {
  let abandoned = false;
  const run = async () => {
    await producer.waitUntilReady();
    if (abandoned) throw new Error(`${what} was abandoned`);
    return work();
  };
  try {
    return await withDeadline(run(), ms, what);
  } catch (e) {
    abandoned = true;
    if (isTransientOutage(e)) throw new AppError('UNAVAILABLE', `${QUEUE_UNREACHABLE} (${what}: ${(e as Error).message})`);
    throw e;
  }
}

/** Closes a BullMQ object; if Redis is down and closing waits for it, drops the connection instead. */
export async function closeWithin(c: { close(): Promise<void>; disconnect(): Promise<void> }, ms = 1000): Promise<void> {
  await withDeadline(c.close(), ms, 'closing a Redis connection').catch(() => {
    void c.disconnect().catch(() => {});
  });
}

export async function closeQueues(): Promise<void> {
  await Promise.all([...queues.values()].map((q) => closeWithin(q)));
  queues.clear();
}
