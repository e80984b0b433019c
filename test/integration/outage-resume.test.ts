// Self-healing across a database outage, end to end: a real worker trains a round; while SFT
// runs past a checkpoint, its database stops accepting connections for a few seconds and every
// open connection is cut (57P01), as in a Postgres restart. The stage's writes fail, BullMQ
// retries the job with backoff, and the retry resumes from the checkpoint: the round succeeds,
// with every SFT step stored once. Own database and Redis prefix: the outage must hit only
// this file's worker.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';

vi.hoisted(() => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `${url.pathname}_outage`;
  process.env.DATABASE_URL = url.toString();
  process.env.HONE_REDIS_PREFIX = `${process.env.HONE_REDIS_PREFIX}:outage`;
});

import { prisma } from '../../lib/db';
import { ensureDatabase, migrate } from '../../lib/data/migrate';
import { launchRound } from '../../lib/data/rounds/launch-round';
import { closeQueues } from '../../lib/queue/connection';
import { closeFlowProducer } from '../../lib/queue/flows';
import { TINY, roundState, seededProject, startWorker, stopWorker } from './loop-helpers';

const dbName = new URL(process.env.DATABASE_URL!).pathname.slice(1);
let worker: ChildProcess | undefined;

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = '/postgres';
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await ensureDatabase(process.env.DATABASE_URL!);
  await migrate(process.env.DATABASE_URL!);
});

afterAll(async () => {
  await stopWorker(worker);
  await closeFlowProducer();
  await closeQueues();
  await prisma.$disconnect();
  await admin(async (c) => {
    await c.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS true`);
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  });
});

/** Polls the round, riding out the outage (this process loses its connections too). */
async function waitForRound(id: string, until: (s: Awaited<ReturnType<typeof roundState>>) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last: Awaited<ReturnType<typeof roundState>> | undefined;
  while (Date.now() < deadline) {
    last = await roundState(id).catch(() => last);
    if (last && until(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out; last: ${JSON.stringify(last)?.slice(0, 2000)}`);
}

it('a stage hit by a database outage is retried and resumes from its checkpoint; the round succeeds', async () => {
  const { project } = await seededProject('Outage resume', { prompts: 8 });
  const SFT_STEPS = 30;
  const r = await launchRound({ projectId: project.id, start: 'new', preset: 'nano', stages: ['sft'], settings: { ...TINY, sft: { ...TINY.sft, steps: SFT_STEPS, checkpointEvery: 3 } } }, null);
  worker = startWorker('outage', 'train');
  await waitForRound(
    r.id,
    (s) => {
      if (s.status === 'FAILED' || s.status === 'CANCELLED') throw new Error(`the round stopped before the outage: ${s.error}`);
      const sft = s.jobs.find((j) => j.stage === 'SFT')!;
      return sft.status === 'RUNNING' && /step-(\d+)$/.test(sft.resumeUri ?? '') && sft.step < SFT_STEPS - 6;
    },
    180_000,
  );

  // The outage: no new connections, every open one cut; back after 8 s.
  await admin(async (c) => {
    await c.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS false`);
    await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
  });
  await new Promise((res) => setTimeout(res, 8000));
  await admin((c) => c.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS true`));

  const done = await waitForRound(r.id, (s) => s.status !== 'QUEUED' && s.status !== 'RUNNING', 240_000);
  expect(done.error).toBeNull();
  expect(done.status).toBe('SUCCEEDED');
  const sft = done.jobs.find((j) => j.stage === 'SFT')!;
  expect(sft.attempts).toBeGreaterThanOrEqual(2);
  const logs = (await prisma.jobLog.findMany({ where: { jobId: sft.id }, select: { message: true } })).map((l) => l.message);
  expect(logs.find((m) => m.startsWith('Resuming'))).toMatch(/from the checkpoint at step [1-9]\d*/);
  // Every SFT step exactly once: 1..SFT_STEPS, no gap, no duplicate.
  const steps = (await prisma.jobMetric.findMany({ where: { jobId: sft.id }, select: { step: true }, orderBy: { step: 'asc' } })).map((m) => m.step);
  expect(steps).toEqual(Array.from({ length: SFT_STEPS }, (_, i) => i + 1));
}, 600_000);
