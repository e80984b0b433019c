// A launch and an export job with Redis unreachable (Postgres up): each answers UNAVAILABLE
// (503) within about 2 s and leaves nothing half-done: the round is closed as FAILED with the
// reason, so it blocks no later launch; the export job row is removed. The producers used are
// the app's own, pointed at a closed port through the globals they are cached in.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FlowProducer, Queue } from 'bullmq';
import { prisma } from '../../lib/db';
import { AppError } from '../../lib/data/errors';
import { launchRound } from '../../lib/data/rounds/launch-round';
import { createExportJob } from '../../lib/data/exports/create-export-job';
import { closeFlowProducer } from '../../lib/queue/flows';
import { closeQueues, producerConnection, queuePrefix } from '../../lib/queue/connection';
import { errorResponse } from '../../lib/http';
import { TINY, seededProject } from './loop-helpers';

let project: { id: string };
let researcherId: string;

beforeAll(async () => {
  ({ project } = await seededProject('Enqueue unavailable', { prompts: 8 }));
  researcherId = (await prisma.user.create({ data: { id: `r-${Date.now()}`, name: 'Rae', email: `rae-${Date.now()}@example.com`, role: 'RESEARCHER' } })).id;
  // Redis "down": the cached producers now talk to a port where nothing listens.
  const closed = { ...producerConnection(), host: '127.0.0.1', port: 1 };
  const g = globalThis as unknown as { honeFlowProducer?: FlowProducer; honeQueues: Map<string, Queue> };
  await closeFlowProducer();
  await closeQueues();
  g.honeFlowProducer = new FlowProducer({ connection: closed, prefix: queuePrefix() });
  g.honeFlowProducer.on('error', () => {});
  const exportQueue = new Queue('export', { connection: closed, prefix: queuePrefix() });
  exportQueue.on('error', () => {});
  g.honeQueues.set('export', exportQueue);
});

afterAll(async () => {
  await closeFlowProducer();
  await closeQueues();
});

async function timed(work: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const t0 = performance.now();
  try {
    await work();
    return { ms: performance.now() - t0, error: null };
  } catch (error) {
    return { ms: performance.now() - t0, error };
  }
}

it('a launch answers 503 within about 2 s and closes its round as FAILED, blocking nothing', async () => {
  const r = await timed(() => launchRound({ projectId: project.id, start: 'new', preset: 'nano', stages: ['sft'], settings: TINY }, null));
  expect(r.ms).toBeLessThan(3000);
  expect(r.error).toBeInstanceOf(AppError);
  expect((r.error as AppError).code).toBe('UNAVAILABLE');
  expect(errorResponse(r.error).status).toBe(503);
  const round = await prisma.trainingRound.findFirstOrThrow({ where: { projectId: project.id }, orderBy: { number: 'desc' }, select: { status: true, error: true, jobs: { select: { status: true } } } });
  expect(round.status).toBe('FAILED');
  expect(round.error).toMatch(/^Could not queue round 1: The job queue \(Redis\) is unreachable/);
  expect(new Set(round.jobs.map((j) => j.status))).toEqual(new Set(['CANCELLED']));
  expect(await prisma.trainingRound.count({ where: { projectId: project.id, status: { in: ['QUEUED', 'RUNNING'] } } })).toBe(0);
});

it('an export job answers 503 within about 2 s and leaves no row', async () => {
  const r = await timed(() => createExportJob({ userId: researcherId, format: 'sft-messages', filter: { projectId: project.id } }));
  expect(r.ms).toBeLessThan(3000);
  expect((r.error as AppError).code).toBe('UNAVAILABLE');
  expect((r.error as AppError).message).toMatch(/no export job was created/);
  expect(await prisma.exportJob.count({ where: { userId: researcherId } })).toBe(0);
});
