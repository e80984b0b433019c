// A nano round end to end on WebGPU (Dawn; in CI Mesa's software Vulkan, lavapipe), checked
// against the same round on WebAssembly: a worker forced to wasm runs a new round (PRETRAIN →
// SFT → RM → PPO → EVALUATE → PUBLISH), then a worker forced to WebGPU runs SFT → RM → PPO →
// EVALUATE → PUBLISH from that round's BASE on the same snapshot with the same settings and
// seeds. The WebGPU round must succeed, its job rows must say `webgpu`, and the first logged
// losses of SFT, RM and PPO must equal wasm's within LOSS_RTOL.
//
// Without an adapter the suite is skipped with the reason, unless HONE_REQUIRE_WEBGPU=1 (CI, which
// installs lavapipe), where a missing adapter fails the run instead of hiding the WebGPU path.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { prisma } from '../../lib/db';
import { launchRound } from '../../lib/data/rounds/launch-round';
import { closeQueues } from '../../lib/queue/connection';
import { closeFlowProducer } from '../../lib/queue/flows';
import { describeAdapter, probeWebgpu } from '../../lib/ml/backend-webgpu';
import { roundState, seededProject, startWorker, stopWorker, waitFor } from './loop-helpers';

// Queues of our own (under this run's prefix, so the run's teardown still clears them): where
// integration files run in parallel, another file's worker must not take these stages, nor ours theirs.
vi.hoisted(() => {
  process.env.HONE_REDIS_PREFIX = `${process.env.HONE_REDIS_PREFIX}:webgpu-round`;
});

const probe = await probeWebgpu({ allowSoftware: true });
const required = process.env.HONE_REQUIRE_WEBGPU === '1';
if (probe.ok) console.log(`[webgpu-round.test] adapter: ${describeAdapter(probe.adapter)}`);
else console.log(`[webgpu-round.test] ${required ? 'FAILING (HONE_REQUIRE_WEBGPU=1)' : 'skipped'}: ${probe.why}`);

// Fewer steps than TINY, but every path a real round takes: an eval pass and a checkpoint
// in each trainer, PPO rollouts scored by the RM, sampling in the evaluation.
const SETTINGS = {
  pretrain: { steps: 2, batchSize: 4, microBatchSize: 4, checkpointEvery: 2, evalEvery: 2 },
  sft: { steps: 2, batchSize: 4, microBatchSize: 4, checkpointEvery: 2, evalEvery: 2, lr: 1e-3 },
  rm: { steps: 2, batchSize: 4, microBatchSize: 4, checkpointEvery: 2, evalEvery: 2, lr: 1e-4 },
  ppo: { steps: 1, batchSize: 4, miniBatchSize: 4, microBatchSize: 4, ppoEpochs: 1, maxNewTokens: 8, checkpointEvery: 1 },
  evaluate: { prompts: 2, samples: 1, maxNewTokens: 8 },
};

// Tolerance of the first losses. Both backends compute in float32 with kernels that sum in a
// different order; on lavapipe the measured gap is ≤ 1.4e-6 relative over six runs (RM and PPO
// start from weights already trained on each backend). 1e-4 leaves two orders of magnitude for other
// Mesa/LLVM builds and still catches a wrong kernel, a skipped step or a different reply sampled
// (each moves a loss by far more). The absolute floor is for values that are zero up to rounding:
// PPO's first policy loss is minus the mean of whitened advantages at ratio 1.
const LOSS_RTOL = 1e-4;
const LOSS_ATOL = 1e-6;

// PPO's score (the RM's mean score of the step's replies) shows the sampler drew the same replies.
const FIRST_LOSSES = { SFT: ['loss'], RM: ['loss'], PPO: ['policy_loss', 'value_loss', 'score'] } as const;

let worker: ChildProcess | undefined;

afterAll(async () => {
  await stopWorker(worker);
  await closeFlowProducer();
  await closeQueues();
});

async function runRound(backend: 'wasm' | 'webgpu', projectId: string, start: string) {
  const t0 = Date.now();
  worker = startWorker(backend, 'train', { HONE_TF_BACKEND: backend });
  try {
    const r = await launchRound({ projectId, start, preset: start === 'new' ? 'nano' : undefined, settings: SETTINGS }, null);
    const done = await waitFor(`the ${backend} round to finish`, () => roundState(r.id), (s) => s.status !== 'QUEUED' && s.status !== 'RUNNING', 240_000, 500);
    const jobs = await prisma.trainingJob.findMany({
      where: { roundId: r.id },
      select: { id: true, stage: true, backend: true, metrics: { select: { step: true, values: true }, orderBy: { step: 'asc' }, take: 1 } },
      orderBy: { createdAt: 'asc' },
    });
    console.log(`[webgpu-round.test] the ${backend} round: ${done.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s (worker start included)`);
    return { round: r, done, jobs };
  } finally {
    await stopWorker(worker);
    worker = undefined;
  }
}

function firstLosses(jobs: Awaited<ReturnType<typeof runRound>>['jobs']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [stage, keys] of Object.entries(FIRST_LOSSES)) {
    const m = jobs.find((j) => j.stage === stage)?.metrics[0];
    if (!m) throw new Error(`${stage} logged no metrics`);
    for (const k of keys) {
      const v = (m.values as Record<string, unknown>)[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${stage} step ${m.step} has no finite ${k}: ${JSON.stringify(m.values)}`);
      out[`${stage} ${k} (step ${m.step})`] = v;
    }
  }
  return out;
}

it.runIf(!probe.ok && required)('finds a WebGPU adapter (HONE_REQUIRE_WEBGPU=1)', () => {
  throw new Error(`HONE_REQUIRE_WEBGPU=1 but ${probe.ok ? '' : probe.why}`);
});

describe.runIf(probe.ok)('a nano round on WebGPU', () => {
  let seeded: Awaited<ReturnType<typeof seededProject>>;
  beforeAll(async () => {
    seeded = await seededProject('WebGPU round', { prompts: 12 });
  }, 120_000);

  it('runs SFT → RM → PPO → evaluate → publish and starts from the losses wasm has', async () => {
    const wasm = await runRound('wasm', seeded.project.id, 'new');
    expect(wasm.done.error).toBeNull();
    expect(wasm.done.status).toBe('SUCCEEDED');
    expect(wasm.jobs.map((j) => [j.stage, j.backend])).toEqual(['PRETRAIN', 'SFT', 'RM', 'PPO', 'EVALUATE', 'PUBLISH'].map((s) => [s, 'wasm']));
    const base = await prisma.checkpoint.findFirstOrThrow({ where: { roundId: wasm.round.id, kind: 'BASE', status: 'READY' }, select: { id: true } });

    const gpu = await runRound('webgpu', seeded.project.id, base.id);
    expect(gpu.round.startCheckpointId).toBe(base.id);
    expect(gpu.round.snapshotSha).toBe(wasm.round.snapshotSha);
    expect(gpu.done.error).toBeNull();
    expect(gpu.done.status).toBe('SUCCEEDED');
    expect(gpu.jobs.map((j) => [j.stage, j.backend])).toEqual(['SFT', 'RM', 'PPO', 'EVALUATE', 'PUBLISH'].map((s) => [s, 'webgpu']));
    const cks = await prisma.checkpoint.findMany({ where: { roundId: gpu.round.id }, select: { kind: true } });
    expect(cks.map((c) => c.kind).sort()).toEqual(['POLICY', 'RM', 'SFT']);

    const want = firstLosses(wasm.jobs);
    const got = firstLosses(gpu.jobs);
    expect(Object.keys(got)).toEqual(Object.keys(want));
    const rows = Object.keys(want).map((k) => ({ loss: k, wasm: want[k], webgpu: got[k], rel: Math.abs(got[k] - want[k]) / Math.max(Math.abs(want[k]), 1e-12) }));
    console.log(`[webgpu-round.test] first losses:\n${rows.map((r) => `  ${r.loss}: wasm ${r.wasm} webgpu ${r.webgpu} (rel ${r.rel.toExponential(2)})`).join('\n')}`);
    for (const r of rows) {
      const tol = LOSS_RTOL * Math.abs(r.wasm) + LOSS_ATOL;
      expect(Math.abs(r.webgpu - r.wasm), `${r.loss}: webgpu ${r.webgpu} vs wasm ${r.wasm}`).toBeLessThanOrEqual(tol);
    }
  }, 600_000);
});
