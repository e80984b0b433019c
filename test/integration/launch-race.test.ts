// Two admins (or a script and the bench) launching a round of the same project at the same
// moment: one round is created, the other launch is refused with a CONFLICT that names it —
// never a 500 from two rounds taking the same number.
import { afterAll, expect, it } from 'vitest';
import { prisma } from '../../lib/db';
import { launchRound } from '../../lib/data/rounds/launch-round';
import { cancelRound } from '../../lib/data/rounds/cancel-round';
import { AppError } from '../../lib/data/errors';
import { closeQueues } from '../../lib/queue/connection';
import { closeFlowProducer } from '../../lib/queue/flows';
import { TINY, seededProject } from './loop-helpers';

afterAll(async () => {
  await closeFlowProducer();
  await closeQueues();
});

it('two launches at once give one round and one CONFLICT', async () => {
  const { project } = await seededProject('Launch race', { prompts: 8 });
  const input = { projectId: project.id, start: 'new', preset: 'nano', stages: ['sft' as const], settings: TINY };
  const results = await Promise.allSettled([launchRound(input, null), launchRound(input, null)]);
  const launched = results.filter((r) => r.status === 'fulfilled');
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(launched).toHaveLength(1);
  expect(refused).toHaveLength(1);
  expect(refused[0].reason).toBeInstanceOf(AppError);
  expect((refused[0].reason as AppError).code).toBe('CONFLICT');
  expect((refused[0].reason as AppError).message).toMatch(/^Round 1 of this project is still queued or running/);
  const rounds = await prisma.trainingRound.findMany({ where: { projectId: project.id }, select: { id: true, number: true } });
  expect(rounds.map((r) => r.number)).toEqual([1]);
  await cancelRound(rounds[0].id, null);
}, 120_000);
