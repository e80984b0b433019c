// Crash safety: the worker is killed with SIGKILL in the middle of PPO, after a checkpoint; a
// new worker process picks the stalled job up and the stage resumes from its last checkpoint —
// no stage runs twice from the start, and every metric step is stored exactly once.
import { afterAll, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { prisma } from '../../lib/db';
import { launchRound } from '../../lib/data/rounds/launch-round';
import { closeQueues } from '../../lib/queue/connection';
import { closeFlowProducer } from '../../lib/queue/flows';
import { TINY, roundState, seededProject, startWorker, stopWorker, waitFor } from './loop-helpers';

let first: ChildProcess | undefined;
let second: ChildProcess | undefined;

afterAll(async () => {
  await stopWorker(first);
  await stopWorker(second);
  await closeFlowProducer();
  await closeQueues();
});

it('resumes PPO from its last checkpoint after kill -9 of the worker', async () => {
  const { project } = await seededProject('Loop resume', { prompts: 12 });
  const PPO_STEPS = 30;
  const r = await launchRound({ projectId: project.id, start: 'new', preset: 'nano', settings: { ...TINY, ppo: { ...TINY.ppo, steps: PPO_STEPS, checkpointEvery: 3 } } }, null);
  first = startWorker('first');
  const mid = await waitFor(
    'PPO to write a checkpoint',
    () => roundState(r.id),
    (s) => {
      if (s.status === 'FAILED' || s.status === 'CANCELLED') throw new Error(`the round stopped: ${s.error}`);
      const ppo = s.jobs.find((j) => j.stage === 'PPO')!;
      return ppo.status === 'RUNNING' && /step-(\d+)$/.test(ppo.resumeUri ?? '') && ppo.step < PPO_STEPS - 6;
    },
    120_000,
    100,
  );
  first.kill('SIGKILL');
  await new Promise((res) => first!.once('exit', res));
  const killedAt = mid.jobs.find((j) => j.stage === 'PPO')!;
  expect(killedAt.attempts).toBe(1);

  second = startWorker('second');
  const done = await waitFor('the round to finish after the restart', () => roundState(r.id), (s) => s.status !== 'QUEUED' && s.status !== 'RUNNING', 150_000, 500);
  expect(done.error).toBeNull();
  expect(done.status).toBe('SUCCEEDED');
  const byStage = Object.fromEntries(done.jobs.map((j) => [j.stage, j]));
  // Stages finished before the crash ran once; PPO ran twice, the second time resumed.
  for (const s of ['PRETRAIN', 'SFT', 'RM']) expect(byStage[s].attempts, s).toBe(1);
  expect(byStage.PPO.attempts).toBe(2);
  const logs = await prisma.jobLog.findMany({ where: { jobId: byStage.PPO.id }, select: { message: true }, orderBy: { createdAt: 'asc' } });
  const resumed = logs.map((l) => l.message).find((m) => m.startsWith('Resuming'));
  expect(resumed).toMatch(/from the checkpoint at step (\d+)/);
  const resumedAt = Number(/step (\d+)/.exec(resumed!)![1]);
  expect(resumedAt).toBeGreaterThan(0);
  // Every PPO step exactly once: 1..PPO_STEPS, no gap, no duplicate.
  const steps = (await prisma.jobMetric.findMany({ where: { jobId: byStage.PPO.id }, select: { step: true }, orderBy: { step: 'asc' } })).map((m) => m.step);
  expect(steps).toEqual(Array.from({ length: PPO_STEPS }, (_, i) => i + 1));
  const policy = await prisma.checkpoint.findFirstOrThrow({ where: { roundId: r.id, kind: 'POLICY' }, select: { step: true, status: true } });
  expect(policy.step).toBe(PPO_STEPS);
}, 300_000);
