// The reconciler and cancel against real Postgres and Redis: rounds, stages and export jobs whose
// rows disagree with BullMQ are queued again or ended with a reason, so no project stays
// blocked. This file has its own database and Redis prefix: the reconciler looks at every open
// row, and the other integration files' rounds (and their workers' queues) are not its to heal.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { UnrecoverableError, Worker } from 'bullmq';

vi.hoisted(() => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `${url.pathname}_reconcile`;
  process.env.DATABASE_URL = url.toString();
  process.env.HONE_REDIS_PREFIX = `${process.env.HONE_REDIS_PREFIX}:reconcile`;
});

import { prisma } from '../../lib/db';
import { ensureDatabase, migrate } from '../../lib/data/migrate';
import { reconcile } from '../../lib/data/reconcile/reconcile';
import { cancelRound } from '../../lib/data/rounds/cancel-round';
import { launchRound } from '../../lib/data/rounds/launch-round';
import { enqueueExportJob } from '../../lib/data/exports/create-export-job';
import { enqueueRoundFlow, closeFlowProducer } from '../../lib/queue/flows';
import { closeQueues, queuePrefix, redisConnection } from '../../lib/queue/connection';
import { queueJobState } from '../../lib/queue/job-state';
import type { RoundStage } from '../../lib/shared/stages';

const OLD = new Date(Date.now() - 10 * 60_000);
const GRACE = { graceMs: 60_000 };
const workers: Worker[] = [];

beforeAll(async () => {
  await ensureDatabase(process.env.DATABASE_URL!);
  await migrate(process.env.DATABASE_URL!);
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close(true)));
  await closeFlowProducer();
  await closeQueues();
  await prisma.$disconnect();
  const url = new URL(process.env.DATABASE_URL!);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
});

const uid = () => randomBytes(4).toString('hex');

async function newProject() {
  const slug = `reconcile-${uid()}`;
  return prisma.project.create({ data: { slug, name: slug } });
}

type StageSpec = { stage: RoundStage; status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED'; error?: string };

/** A round as a launch (and the stages a worker ran) left it, last touched `at`. */
async function newRound(projectId: string, status: 'QUEUED' | 'RUNNING', stages: StageSpec[], at = OLD) {
  const r = await prisma.trainingRound.create({
    data: {
      projectId,
      number: 1,
      status,
      preset: 'nano',
      config: {},
      stages: stages.map((s) => s.stage.toLowerCase()),
      createdAt: at,
      startedAt: status === 'RUNNING' ? at : null,
      jobs: {
        create: stages.map((s) => ({
          stage: s.stage,
          status: s.status,
          error: s.error ?? null,
          createdAt: at,
          startedAt: s.status === 'QUEUED' ? null : at,
          heartbeatAt: s.status === 'QUEUED' ? null : at,
          finishedAt: s.status === 'SUCCEEDED' || s.status === 'FAILED' ? at : null,
          workerId: s.status === 'RUNNING' ? 'a-worker-that-died:1:abc' : null,
        })),
      },
    },
    select: { id: true, jobs: { select: { id: true, stage: true } } },
  });
  const job = (stage: RoundStage) => r.jobs.find((j) => j.stage === stage)!.id;
  return { id: r.id, job, flow: stages.filter((s) => s.status !== 'SUCCEEDED').map((s) => ({ jobId: job(s.stage), stage: s.stage })) };
}

const roundRow = (id: string) =>
  prisma.trainingRound.findUniqueOrThrow({ where: { id }, select: { status: true, error: true, jobs: { select: { stage: true, status: true, error: true, cancelRequested: true } } } });
const stageOf = (r: Awaited<ReturnType<typeof roundRow>>, stage: RoundStage) => r.jobs.find((j) => j.stage === stage)!;

/** A worker on `queue` that fails every job for good with `reason`, as a last failed attempt does. */
function failingWorker(queue: 'train' | 'export', reason: string) {
  const w = new Worker(
    queue,
    async (): Promise<unknown> => {
      throw new UnrecoverableError(reason);
    },
    { connection: redisConnection(), prefix: queuePrefix() },
  );
  workers.push(w);
  return w;
}

async function waitForState(queue: 'train' | 'export', jobId: string, state: string) {
  for (let i = 0; i < 100; i++) {
    if ((await queueJobState(queue, jobId)).state === state) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${jobId} never reached ${state}; it is ${(await queueJobState(queue, jobId)).state}`);
}

async function launchOutcome(projectId: string): Promise<string> {
  try {
    await launchRound({ projectId, stages: ['sft'] } as Parameters<typeof launchRound>[0], null);
    return 'launched';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

describe('reconcile: rounds', () => {
  it('queues again a QUEUED round that has no jobs in Redis (same ids), and leaves a fresh one alone', async () => {
    const p = await newProject();
    const lost = await newRound(p.id, 'QUEUED', [{ stage: 'SFT', status: 'QUEUED' }, { stage: 'EVALUATE', status: 'QUEUED' }, { stage: 'PUBLISH', status: 'QUEUED' }]);
    const fresh = await newRound((await newProject()).id, 'QUEUED', [{ stage: 'SFT', status: 'QUEUED' }, { stage: 'PUBLISH', status: 'QUEUED' }], new Date());
    expect((await queueJobState('train', lost.job('SFT'))).state).toBe('missing');

    const actions = await reconcile(GRACE);
    expect(actions).toContainEqual(expect.objectContaining({ kind: 'round', id: lost.id, action: 'requeued' }));
    expect(actions.find((a) => a.id === fresh.id)).toBeUndefined();
    // The first stage waits for a worker; the later ones wait for it, as a launch leaves them.
    expect((await queueJobState('train', lost.job('SFT'))).state).toBe('waiting');
    expect((await queueJobState('train', lost.job('PUBLISH'))).state).toBe('waiting-children');
    expect((await queueJobState('train', fresh.job('SFT'))).state).toBe('missing');
    expect((await roundRow(lost.id)).status).toBe('QUEUED');

    // A second pass (another worker's) finds nothing more to do.
    expect((await reconcile(GRACE)).find((a) => a.id === lost.id)).toBeUndefined();
  });

  it('queues again a RUNNING round whose jobs Redis lost; the running stage keeps its row, to resume', async () => {
    const p = await newProject();
    const r = await newRound(p.id, 'RUNNING', [{ stage: 'SFT', status: 'SUCCEEDED' }, { stage: 'RM', status: 'RUNNING' }, { stage: 'EVALUATE', status: 'QUEUED' }, { stage: 'PUBLISH', status: 'QUEUED' }]);
    const actions = await reconcile(GRACE);
    expect(actions).toContainEqual(expect.objectContaining({ id: r.id, action: 'requeued' }));
    expect((await queueJobState('train', r.job('RM'))).state).toBe('waiting');
    expect((await queueJobState('train', r.job('SFT'))).state).toBe('missing'); // it succeeded: not run again
    expect(stageOf(await roundRow(r.id), 'RM').status).toBe('RUNNING');
  });

  it('fails a RUNNING stage whose job failed in Redis without the row knowing, and the project can launch again', async () => {
    const p = await newProject();
    const r = await newRound(p.id, 'RUNNING', [{ stage: 'SFT', status: 'RUNNING' }, { stage: 'EVALUATE', status: 'QUEUED' }, { stage: 'PUBLISH', status: 'QUEUED' }]);
    await enqueueRoundFlow(r.flow);
    const w = failingWorker('train', 'terminating connection due to administrator command');
    await waitForState('train', r.job('SFT'), 'failed');
    await waitForState('train', r.job('PUBLISH'), 'failed'); // failParentOnFailure, in cascade
    await w.close();
    expect(await launchOutcome(p.id)).toBe('CONFLICT');

    const actions = await reconcile(GRACE);
    expect(actions).toContainEqual(expect.objectContaining({ kind: 'round', id: r.id, action: 'failed' }));
    const row = await roundRow(r.id);
    expect(row.status).toBe('FAILED');
    expect(row.error).toMatch(/SFT failed in the job queue.*terminating connection due to administrator command/);
    expect(stageOf(row, 'SFT')).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/administrator command/) });
    expect(stageOf(row, 'EVALUATE').status).toBe('CANCELLED');
    expect(stageOf(row, 'PUBLISH').status).toBe('CANCELLED');
    // No longer blocked: the launch gets past the busy check (and stops at the empty project).
    expect(await launchOutcome(p.id)).toBe('INVALID_INPUT');
  });

  it('ends a round whose stage failed but whose own failure was never written', async () => {
    const p = await newProject();
    const r = await newRound(p.id, 'RUNNING', [{ stage: 'SFT', status: 'FAILED', error: 'loss is NaN at step 3' }, { stage: 'PUBLISH', status: 'QUEUED' }]);
    const actions = await reconcile(GRACE);
    expect(actions).toContainEqual(expect.objectContaining({ id: r.id, action: 'failed' }));
    const row = await roundRow(r.id);
    expect(row).toMatchObject({ status: 'FAILED', error: 'SFT failed: loss is NaN at step 3' });
    expect(stageOf(row, 'PUBLISH').status).toBe('CANCELLED');
  });

  it('leaves a round with a live job alone', async () => {
    const p = await newProject();
    const r = await newRound(p.id, 'QUEUED', [{ stage: 'SFT', status: 'QUEUED' }, { stage: 'PUBLISH', status: 'QUEUED' }]);
    await enqueueRoundFlow(r.flow);
    expect((await reconcile(GRACE)).find((a) => a.id === r.id)).toBeUndefined();
    expect((await roundRow(r.id)).status).toBe('QUEUED');
  });
});

describe('the worker', () => {
  it('reconciles when it starts: a wedged round ends without any hand edit', async () => {
    const p = await newProject();
    const r = await newRound(p.id, 'RUNNING', [{ stage: 'SFT', status: 'RUNNING' }, { stage: 'PUBLISH', status: 'QUEUED' }]);
    await enqueueRoundFlow(r.flow);
    const w = failingWorker('train', 'Connection terminated unexpectedly');
    await waitForState('train', r.job('SFT'), 'failed');
    await w.close();
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { env: { ...process.env, HONE_WORKER_QUEUES: 'health', HONE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    child.stderr!.on('data', (c) => (out += c));
    try {
      for (let i = 0; i < 150 && (await roundRow(r.id)).status === 'RUNNING'; i++) await new Promise((res) => setTimeout(res, 100));
      const row = await roundRow(r.id);
      expect(row.status).toBe('FAILED');
      expect(row.error).toMatch(/Connection terminated unexpectedly/);
      // Its log line follows the update.
      for (let i = 0; i < 50 && !out.includes('"reconciled"'); i++) await new Promise((res) => setTimeout(res, 100));
      expect(out).toMatch(/"msg":"reconciled".*"action":"failed"/);
    } finally {
      const exited = new Promise((res) => child.once('exit', res));
      child.kill('SIGTERM');
      await exited;
    }
  });
});

describe('reconcile: standalone jobs', () => {
  it('fails a RUNNING sampling job whose job Redis lost, saying to start it again', async () => {
    const row = await prisma.trainingJob.create({ data: { stage: 'SAMPLE', status: 'RUNNING', createdAt: OLD, startedAt: OLD, heartbeatAt: OLD } });
    const actions = await reconcile(GRACE);
    expect(actions).toContainEqual(expect.objectContaining({ kind: 'job', id: row.id, action: 'failed' }));
    const after = await prisma.trainingJob.findUniqueOrThrow({ where: { id: row.id } });
    expect(after).toMatchObject({ status: 'FAILED', error: "SAMPLE's job is gone from Redis; start it again." });
  });
});

describe('reconcile: export jobs', () => {
  async function newExport(status: 'QUEUED' | 'RUNNING') {
    const user = await prisma.user.create({ data: { id: `u-${uid()}`, name: 'Exporter', email: `exporter-${uid()}@example.com` } });
    return prisma.exportJob.create({ data: { userId: user.id, format: 'sft', status, createdAt: OLD } });
  }

  it('queues again a RUNNING export job that has no job in Redis', async () => {
    const row = await newExport('RUNNING');
    const actions = await reconcile(GRACE);
    expect(actions).toContainEqual(expect.objectContaining({ kind: 'export', id: row.id, action: 'requeued' }));
    expect((await queueJobState('export', row.id)).state).toBe('waiting');
  });

  it('fails an export job whose job failed in Redis, with the reason', async () => {
    const row = await newExport('RUNNING');
    await enqueueExportJob(row.id);
    const w = failingWorker('export', 'Connection terminated unexpectedly');
    await waitForState('export', row.id, 'failed');
    await w.close();
    const actions = await reconcile(GRACE);
    expect(actions).toContainEqual(expect.objectContaining({ kind: 'export', id: row.id, action: 'failed' }));
    const after = await prisma.exportJob.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.status).toBe('FAILED');
    expect(after.error).toMatch(/failed in the job queue.*Connection terminated unexpectedly/);
    expect(after.finishedAt).toBeInstanceOf(Date);
  });
});

describe('cancel', () => {
  it('ends a round at once when its RUNNING stage has no live worker', async () => {
    const p = await newProject();
    const r = await newRound(p.id, 'RUNNING', [{ stage: 'SFT', status: 'RUNNING' }, { stage: 'EVALUATE', status: 'QUEUED' }, { stage: 'PUBLISH', status: 'QUEUED' }]);
    await enqueueRoundFlow(r.flow); // waiting in Redis, nobody holds its lock
    expect(await cancelRound(r.id, null)).toEqual({ id: r.id, status: 'CANCELLED' });
    const row = await roundRow(r.id);
    expect(row.status).toBe('CANCELLED');
    expect(row.jobs.map((j) => j.status).sort()).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
    expect(await launchOutcome(p.id)).toBe('INVALID_INPUT');
  });

  it('ends a round whose RUNNING stage has no job in Redis at all', async () => {
    const p = await newProject();
    const r = await newRound(p.id, 'RUNNING', [{ stage: 'SFT', status: 'RUNNING' }, { stage: 'PUBLISH', status: 'QUEUED' }]);
    expect(await cancelRound(r.id, null)).toEqual({ id: r.id, status: 'CANCELLED' });
    expect((await roundRow(r.id)).status).toBe('CANCELLED');
  });

  it('asks a live stage to stop instead, and it stays RUNNING until its worker stops it', async () => {
    const p = await newProject();
    const r = await newRound(p.id, 'RUNNING', [{ stage: 'SFT', status: 'RUNNING' }, { stage: 'PUBLISH', status: 'QUEUED' }]);
    let release!: () => void;
    const held = new Promise<void>((res) => (release = res));
    let started!: () => void;
    const running = new Promise<void>((res) => (started = res));
    // Holds this round's SFT job (and its lock) until released; earlier tests' jobs just finish.
    const w = new Worker(
      'train',
      async (job) => {
        if (job.id !== r.job('SFT')) return;
        started();
        await held;
      },
      { connection: redisConnection(), prefix: queuePrefix(), lockDuration: 30_000, concurrency: 4 },
    );
    workers.push(w);
    await enqueueRoundFlow(r.flow);
    await running;
    expect(await cancelRound(r.id, null)).toEqual({ id: r.id, status: 'CANCELLING' });
    const row = await roundRow(r.id);
    expect(row.status).toBe('RUNNING');
    expect(stageOf(row, 'SFT')).toMatchObject({ status: 'RUNNING', cancelRequested: true });
    expect(stageOf(row, 'PUBLISH').status).toBe('CANCELLED');
    release();
    await w.close();
  });
});
