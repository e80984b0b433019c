// The start checkpoint decides the model: a round from a checkpoint takes its shape key, an
// explicit preset that differs is refused, `auto` prefers the active policy, then the newest base
// (of the preset's shape when one is given); only nano and small are pretrained from scratch.
// Stage defaults are sized for the model beneath explicit settings, and a plan that no live train
// worker has the memory for is refused naming the stage, the estimate, the limit and what to lower.
// No worker runs here: launched rounds are cancelled at once, so their stages never start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db';
import { launchRound } from '../../lib/data/rounds/launch-round';
import { cancelRound } from '../../lib/data/rounds/cancel-round';
import { closeQueues } from '../../lib/queue/connection';
import { closeFlowProducer } from '../../lib/queue/flows';
import { PRESET_SHAPES, shapeKey, shapeOfKey } from '../../lib/shared/model-shape';
import { seededProject } from './loop-helpers';

const DISTIL = shapeOfKey('gpt2-family-L6-C768-H12-T1024')!;
let projectId: string;
let nanoBase: string;
let distilBase: string;
let gpt2Base: string;

async function base(name: string, shape: typeof DISTIL, minutesAgo: number) {
  const row = await prisma.checkpoint.create({
    data: { projectId, kind: 'BASE', name, preset: shapeKey(shape), modelConfig: shape, uri: `fake/${name}`, createdAt: new Date(Date.now() - minutesAgo * 60_000) },
    select: { id: true },
  });
  return row.id;
}

/** Launches, reads back what the round stored, and cancels it before any worker could run it. */
async function launched(input: Parameters<typeof launchRound>[0]) {
  const r = await launchRound(input, null);
  await cancelRound(r.id, null);
  const round = await prisma.trainingRound.findUniqueOrThrow({ where: { id: r.id }, select: { preset: true, config: true, startCheckpointId: true } });
  return { ...r, preset: round.preset, config: round.config as Record<string, Record<string, unknown>> };
}

beforeAll(async () => {
  projectId = (await seededProject('Launch sizing', { prompts: 8 })).project.id;
  nanoBase = await base('nano-base', PRESET_SHAPES.nano, 30);
  gpt2Base = await base('gpt2-base', PRESET_SHAPES.gpt2, 20);
  distilBase = await base('distil-base', DISTIL, 10);
}, 120_000);

afterAll(async () => {
  await closeFlowProducer();
  await closeQueues();
});

describe('the start checkpoint decides the model', () => {
  it('auto takes the newest base and its shape; a given preset picks the newest base of that shape', async () => {
    const r = await launched({ projectId, settings: { sft: { steps: 3, lr: 3e-5 } } });
    expect(r.startCheckpointId).toBe(distilBase);
    expect(r.preset).toBe('gpt2-family-L6-C768-H12-T1024');
    expect(r.stages[0]).toBe('SFT');
    // Sized defaults for a 82M model beneath the explicit settings, stored as resolved.
    expect(r.config.sft).toMatchObject({ steps: 3, lr: 3e-5, maxLength: 256 });
    expect(r.config.rm).toMatchObject({ maxLength: 256, lr: 1e-5 });
    expect(r.config.ppo).toMatchObject({ lr: 1e-6, maxPromptTokens: 192, maxNewTokens: 64 });

    const nano = await launched({ projectId, start: 'auto', preset: 'nano' });
    expect(nano).toMatchObject({ startCheckpointId: nanoBase, preset: 'nano' });
    // nano keeps today's schema defaults.
    expect(nano.config.sft).toMatchObject({ maxLength: null, lr: 1e-4, microBatchSize: 8 });
  });

  it('a checkpoint by id takes its shape; an explicit preset that differs is a 400', async () => {
    const r = await launched({ projectId, start: gpt2Base, stages: ['sft'] });
    expect(r.preset).toBe('gpt2');
    await expect(launchRound({ projectId, start: distilBase, preset: 'nano' }, null)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^preset: the start checkpoint distil-base is a "gpt2-family-L6-C768-H12-T1024" model \(6 layers × 768.*\), not "nano"\. Leave the preset out/),
    });
    await expect(launchRound({ projectId, start: 'auto', preset: 'bogus' }, null)).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ['preset'], message: expect.stringMatching(/unknown preset "bogus"/) })] });
  });

  it('auto prefers the active policy, and refuses a preset that does not match it', async () => {
    const policy = await prisma.checkpoint.create({ data: { projectId, kind: 'POLICY', name: 'small-policy', preset: 'small', uri: 'fake/small-policy', active: true }, select: { id: true } });
    try {
      expect(await launched({ projectId })).toMatchObject({ startCheckpointId: policy.id, preset: 'small' });
      await expect(launchRound({ projectId, preset: 'nano' }, null)).rejects.toThrow(/small-policy is a "small" model .*not "nano"/);
    } finally {
      await prisma.checkpoint.delete({ where: { id: policy.id } });
    }
  });

  it('pretrains only nano and small from scratch; gpt2 points to registering a base', async () => {
    await expect(launchRound({ projectId, start: 'new', preset: 'gpt2' }, null)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/GPT-2 \(124M\) is not pretrained from scratch.*Register a base .* on \/admin\/checkpoints .* start the round from it/),
    });
    await expect(launchRound({ projectId, start: 'new', preset: 'gpt2-family-L6-C768-H12-T1024' }, null)).rejects.toThrow(/not pretrained from scratch/);
    const r = await launched({ projectId, start: 'new', settings: { pretrain: { steps: 2 } } });
    expect(r).toMatchObject({ preset: 'nano', startCheckpointId: null });
    expect(r.stages[0]).toBe('PRETRAIN');
  });
});

describe('plans are checked against the live train workers', () => {
  // A plan no machine holds: GPT-2 micro-batches of 1024 rows × 1024 tokens (terabytes).
  const huge = { sft: { batchSize: 1024, microBatchSize: 1024, maxLength: 1024 } };
  const fake = (memoryBytes: number | null) => ({
    id: `fake-sizing-${memoryBytes}`,
    hostname: 'sizing-test',
    pid: 1,
    queues: ['train', 'health'],
    backend: 'wasm',
    info: { capacity: { gflops: 10, opMs: 0.05, memoryBytes, memorySource: 'test', measuredAt: new Date().toISOString() } },
  });

  it('refuses a plan that fits no worker, naming the stage, the estimate, the limit and what to lower', async () => {
    const w = await prisma.workerHeartbeat.create({ data: fake(4 * 1024 ** 3) });
    try {
      const err = await launchRound({ projectId, start: gpt2Base, stages: ['sft'], settings: huge }, null).catch((e) => e);
      expect(err).toMatchObject({ code: 'INVALID_INPUT', status: 400 });
      expect(err.message).toMatch(/^This plan does not fit the memory of any live train worker\. sft needs about [\d.]+ (GiB|TiB) at its peak .* over the [\d.]+ GiB of the largest train worker .*: lower sft\.microBatchSize or sft\.maxLength\.$/);
      expect(err.details.stages[0]).toMatchObject({ stage: 'sft', lower: ['sft.microBatchSize', 'sft.maxLength'] });
      expect(await prisma.trainingRound.count({ where: { projectId, status: 'QUEUED' } })).toBe(0);
    } finally {
      await prisma.workerHeartbeat.delete({ where: { id: w.id } });
    }
  });

  it('launches when a worker cannot tell its memory (the plan is not checked against it)', async () => {
    const w = await prisma.workerHeartbeat.create({ data: fake(null) });
    try {
      expect(await launched({ projectId, start: gpt2Base, stages: ['sft'], settings: huge })).toMatchObject({ preset: 'gpt2' });
    } finally {
      await prisma.workerHeartbeat.delete({ where: { id: w.id } });
    }
  });
});
