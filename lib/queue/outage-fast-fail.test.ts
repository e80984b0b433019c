// Fast failure while Postgres and Redis are down: this file runs in the `unit` project, whose
// setup points DATABASE_URL and REDIS_URL at a closed port, so every call below meets a real
// refused connection. Each must end within about 2 s with UNAVAILABLE (503), never hang.
import { afterAll, describe, expect, it } from 'vitest';
import { enqueueRoundFlow, closeFlowProducer } from './flows';
import { closeQueues, toRedis } from './connection';
import { queueJobState } from './job-state';
import { redisHealth, workerRoundTrip } from './health';
import { closeQueueEvents, requestJob } from './request';
import { enqueueExportJob } from '../data/exports/create-export-job';
import { databaseHealth } from '../data/health';
import { AppError } from '../data/errors';
import { DATABASE_UNREACHABLE, isTransientOutage } from '../data/outage';
import { errorResponse } from '../http';
import { prisma } from '../db';

afterAll(async () => {
  await closeFlowProducer();
  await closeQueues();
  await closeQueueEvents();
  (globalThis as unknown as { honePingClient?: { disconnect(): void } }).honePingClient?.disconnect();
});

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; error: unknown; value?: T }> {
  const t0 = performance.now();
  try {
    const value = await work();
    return { ms: performance.now() - t0, error: null, value };
  } catch (error) {
    return { ms: performance.now() - t0, error };
  }
}

describe('with Redis unreachable', () => {
  it('queueing a round answers UNAVAILABLE within about 2 s', async () => {
    const r = await timed(() => enqueueRoundFlow([{ jobId: 'fast-fail-sft', stage: 'SFT' }, { jobId: 'fast-fail-publish', stage: 'PUBLISH' }]));
    expect(r.error).toBeInstanceOf(AppError);
    expect((r.error as AppError).code).toBe('UNAVAILABLE');
    expect((r.error as AppError).message).toMatch(/job queue \(Redis\) is unreachable/);
    expect(r.ms).toBeLessThan(3000);
  });

  it('queueing an export, reading a job state and asking a worker answer UNAVAILABLE within about 2 s', async () => {
    const calls: (() => Promise<unknown>)[] = [
      () => enqueueExportJob('fast-fail-export'),
      () => queueJobState('train', 'fast-fail-sft'),
      () => requestJob('infer', 'suggest', {}, 60_000),
    ];
    for (const work of calls) {
      const r = await timed(work);
      expect((r.error as AppError).code).toBe('UNAVAILABLE');
      expect(r.ms).toBeLessThan(3000);
    }
  });

  it('an enqueue answered UNAVAILABLE never runs later, when Redis comes back', async () => {
    let connect!: () => void;
    const producer = { waitUntilReady: () => new Promise<void>((r) => (connect = r)) };
    let ran = false;
    const r = await timed(() => toRedis('queueing a test job', producer, async () => void (ran = true), 100));
    expect((r.error as AppError).code).toBe('UNAVAILABLE');
    connect();
    await new Promise((res) => setTimeout(res, 50));
    expect(ran).toBe(false);
  });

  it('becomes a 503 with Retry-After, not a 500', async () => {
    const r = await timed(() => enqueueExportJob('fast-fail-export-2'));
    const res = errorResponse(r.error);
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('5');
    expect((await res.json()).error.code).toBe('UNAVAILABLE');
  });

  it('the health checks answer not-ok within their deadlines', async () => {
    const redis = await timed(() => redisHealth());
    expect(redis.value?.ok).toBe(false);
    expect(redis.ms).toBeLessThan(2500);
    const trip = await timed(() => workerRoundTrip(1500));
    expect(trip.value?.ok).toBe(false);
    expect(trip.ms).toBeLessThan(2500);
  });
});

describe('with Postgres unreachable', () => {
  it('a query fails within about 2 s with an error classified as an outage, answered 503', async () => {
    const r = await timed(() => prisma.user.count());
    expect(r.error).toBeTruthy();
    expect(isTransientOutage(r.error)).toBe(true);
    expect(r.ms).toBeLessThan(3000);
    const res = errorResponse(r.error);
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('5');
    expect(await res.json()).toEqual({ error: { code: 'UNAVAILABLE', message: DATABASE_UNREACHABLE } });
  });

  it('the database health check answers not-ok within about 2 s', async () => {
    const r = await timed(() => databaseHealth());
    expect(r.value?.ok).toBe(false);
    expect(r.ms).toBeLessThan(3000);
  });
});
