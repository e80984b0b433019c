// The ML core on the WebGPU backend (Dawn through the `webgpu` package), checked against the
// plain JS CPU backend on the same weights and data: forward logits, the KV-cache path that
// sampling uses (greedy tokens equal the CPU sampler's), and the first losses of SFT, reward
// model and PPO updates (ML core losses + Adam) within float32 tolerance.
//
// Runs wherever an adapter exists — a GPU, or Mesa's software Vulkan (lavapipe, Mesa ≥ 23:
// `apt-get install -t bookworm-backports mesa-vulkan-drivers` on Debian 12), which makes the
// WebGPU path testable on a CPU machine; the adapter type is printed. Without one the suite
// is skipped and the one-line reason is printed.
//
// Node limitation (see lib/ml/backend-webgpu.ts): GPU tensors can only be read asynchronously.
// The ML core reads that way (lib/ml/read.ts), so these checks run the real trainer steps
// (createLmStep, createRewardStep, createPpoStep), the sampler and a short SFT run on WebGPU;
// a stray synchronous read would fail them with WebgpuSyncReadError.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describeAdapter, explainNoAdapter, prepareWebgpu, probeWebgpu, webgpuDevice, withGpuMemoryScope } from './backend-webgpu';
import {
  GpuDeviceLostError,
  GpuOutOfMemoryError,
  WebgpuSyncReadError,
  WebgpuUnavailableError,
  gpuFailure,
  recordGpuEvent,
  resetGpuEvents,
  toGpuError,
} from './gpu-errors';
import { GPT } from './model/gpt';
import { PRESETS, type GPTConfig } from './model/config';
import { RewardModel, ValueModel } from './heads';
import { sftRows, trainSft } from './train/sft';
import { createLmStep } from './train/lm';
import { createRewardStep, type EncodedRanking } from './train/reward';
import { createPpoStep, type RewardFn } from './train/ppo';
import { createDpoStep, sequenceLogps, withReference, type EncodedPreference } from './train/dpo';
import { SftConfigSchema } from '../shared/stage-config';
import { sample } from './sample';
import { createTokenizer } from './tokenizer';

// A software adapter (lavapipe) runs the suite only when asked (HONE_TEST_WEBGPU_SOFTWARE=1):
// it proves the WebGPU path on a CPU machine but costs minutes of shader compiling, too much
// for every CI run. A real GPU adapter always runs it.
const probe = await probeWebgpu({ allowSoftware: process.env.HONE_TEST_WEBGPU_SOFTWARE === '1' });
if (probe.ok) console.log(`[webgpu.test] adapter: ${describeAdapter(probe.adapter)}`);
else console.log(`[webgpu.test] skipped: ${probe.why}`);

const cfg: GPTConfig = PRESETS.nano;
const tok = createTokenizer('byte');
const STEPS = 3;
const LR = 1e-3;

type Weights = Map<string, Float32Array>;
type Shapes = Map<string, number[]>;

function readWeights(params: Map<string, tf.Variable>): { w: Weights; s: Shapes } {
  return {
    w: new Map([...params].map(([k, v]) => [k, v.dataSync().slice() as Float32Array])),
    s: new Map([...params].map(([k, v]) => [k, v.shape])),
  };
}
function toTensors(w: Weights, s: Shapes, only?: (k: string) => boolean): Map<string, tf.Tensor> {
  return new Map([...w].filter(([k]) => !only || only(k)).map(([k, v]) => [k, tf.tensor(v, s.get(k)!)]));
}
function gptFrom(w: Weights, s: Shapes): GPT {
  const t = toTensors(w, s, (k) => !k.startsWith('score.'));
  const m = new GPT(cfg, { weights: t });
  tf.dispose([...t.values()]);
  return m;
}

const demos = [
  { messages: [{ role: 'user' as const, content: 'hi' }, { role: 'assistant' as const, content: 'hello there friend' }] },
  { messages: [{ role: 'user' as const, content: 'color?' }, { role: 'assistant' as const, content: 'blue sky' }] },
];
const rows = sftRows(tok, demos, 64);
// Reward model: 2 rankings of 3 completions each (the trainer forwards each completion once).
const rankings: EncodedRanking[] = [
  { seqs: [[1, 5, 9, 14, 20], [1, 5, 9, 30, 31], [1, 5, 9, 40, 41]], tiers: [[0], [1, 2]] },
  { seqs: [[2, 7, 8, 50, 51], [2, 7, 8, 60, 61], [2, 7, 8, 70, 71]], tiers: [[2], [0], [1]] },
];
// DPO: the same rankings as preferences, the reply being each sequence's last two tokens.
const preferences: EncodedPreference[] = rankings.map((r) => ({ ...r, replyStart: r.seqs.map(() => 3), weight: 1 }));
// PPO: replies scored by how many "a"s they hold; the rollout is made once on the CPU and replayed
// on both backends (sampling could pick another token where two are almost tied).
const ppoContexts = demos.map((d) => [d.messages[0]]);
const frequencyOfA: RewardFn = (_c, replies) => replies.map((x) => (x.match(/a/g) ?? []).length / 4);
const PPO_CONFIG = { batchSize: 2, miniBatchSize: 2, microBatchSize: 1, ppoEpochs: 1, maxNewTokens: 6, temperature: 1 };

type Run = { logits: Float32Array; greedy: number[]; sft: number[]; rm: number[]; dpo: number[]; ppo: number[]; rolloutScore: number };
type PpoBatch = Awaited<ReturnType<ReturnType<typeof createPpoStep>['rollout']>>;

/** Everything the comparison needs, on the current backend, from the same starting weights. */
async function runAll(base: { w: Weights; s: Shapes }, rmHead: Float32Array, batch: PpoBatch | null): Promise<Run & { batch: PpoBatch }> {
  const ids = tf.tensor2d([[0, 0, 1, 2, 3, 4], [5, 6, 7, 8, 9, 10]], [2, 6], 'int32');
  const mask = tf.tensor2d([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]], [2, 6], 'int32');
  const m0 = gptFrom(base.w, base.s);
  const lg = m0.forward(ids, { attentionMask: mask });
  const logits = (await lg.data()) as Float32Array;
  tf.dispose([lg, ids, mask]);
  // Greedy decoding through the KV cache: the sampler itself.
  const greedy = (await sample(m0, [[1, 2, 3, 4]], { maxNewTokens: 8, temperature: 0 })).tokens[0];
  m0.dispose();

  // SFT: the trainer's step (micro-batched, clipped Adam), three times.
  const sftModel = gptFrom(base.w, base.s);
  const sftStep = createLmStep(sftModel, SftConfigSchema.parse({ microBatchSize: 1 }), tok.special.pad);
  const sft: number[] = [];
  for (let i = 0; i < STEPS; i++) sft.push((await sftStep.step(rows, LR)).loss);
  sftStep.dispose();
  sftModel.dispose();

  // Reward model: the trainer's step on two rankings.
  const head = tf.tensor2d(rmHead, [1, cfg.nEmbd]);
  const rm = new RewardModel(gptFrom(base.w, base.s), head);
  head.dispose();
  const rmStep = createRewardStep(rm, { microBatchSize: 1 }, tok.special.pad);
  const rmLoss: number[] = [];
  for (let i = 0; i < STEPS; i++) rmLoss.push((await rmStep.step(rankings, LR)).loss);
  rmStep.dispose();
  rm.dispose();

  // DPO: the reference pass, then the trainer's step against that reference moved by a fixed
  // offset (so the first loss is not the trivial ln 2); the reference sums come first in `dpo`.
  const dpoModel = gptFrom(base.w, base.s);
  const refs = await sequenceLogps(dpoModel, preferences, tok.special.pad, 1);
  const items = withReference(preferences, refs.map((row) => row.map((v, i) => v + (i === 0 ? 0.5 : -0.25))));
  const dpoStep = createDpoStep(dpoModel, { microBatchSize: 1, beta: 0.5 }, tok.special.pad);
  const dpo: number[] = [...refs.flat()];
  for (let i = 0; i < STEPS; i++) dpo.push((await dpoStep.step(items, LR)).loss);
  dpoStep.dispose();
  dpoModel.dispose();

  // PPO: a rollout (sampling, scoring, whitening) and updates on a fixed batch.
  const policy = gptFrom(base.w, base.s);
  const reference = gptFrom(base.w, base.s);
  const vHead = tf.tensor2d(rmHead, [1, cfg.nEmbd]);
  const critic = new ValueModel(gptFrom(base.w, base.s), vHead, 0.1);
  vHead.dispose();
  const runner = createPpoStep({ policy, reference, critic, tokenizer: tok, reward: frequencyOfA, config: PPO_CONFIG });
  const own = await runner.rollout(ppoContexts, 0.05, 1);
  const replay = batch ?? own;
  const ppo: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const m = (await runner.update(replay, LR, i + 1, 0)).metrics;
    ppo.push(m.policy_loss, m.value_loss);
  }
  runner.dispose();
  [policy, reference, critic].forEach((m) => m.dispose());
  return { logits, greedy, sft, rm: rmLoss, dpo, ppo, rolloutScore: own.stats.score, batch: own };
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('GPU errors', () => {
  it('classifies what a job caught: lost device, out of memory, anything else unchanged', () => {
    resetGpuEvents();
    expect(toGpuError(new Error('Device is lost'))).toBeInstanceOf(GpuDeviceLostError);
    expect(toGpuError(new Error('VK_ERROR_OUT_OF_DEVICE_MEMORY while allocating'))).toBeInstanceOf(GpuOutOfMemoryError);
    const plain = new Error('ppo: the reward function returned 3 scores for 4 replies');
    expect(toGpuError(plain)).toBe(plain);
    expect(toGpuError('a string')).toMatchObject({ message: 'a string' });
    expect(new WebgpuUnavailableError('no WebGPU adapter: x').message).toMatch(/HONE_TF_BACKEND=webgpu.*libvulkan1.*VK_DRIVER_FILES/);
  });

  it('names the recorded GPU event as the cause of a later error, with the resume hint', () => {
    resetGpuEvents();
    recordGpuEvent({ kind: 'validation', message: 'Binding size (160000000) is larger than the maximum storage buffer binding size (134217728).' });
    const e = toGpuError(new Error('non-finite loss NaN at step 12'));
    expect(e).toBeInstanceOf(GpuOutOfMemoryError);
    expect(e.message).toMatch(/over the GPU's buffer limits.*Then: non-finite loss NaN at step 12/);
    expect(e.message).toMatch(/last checkpoint is kept.*resumes from there/);
    recordGpuEvent({ kind: 'lost', reason: 'unknown', message: 'GPU fell off the bus' });
    expect(gpuFailure()).toBeInstanceOf(GpuDeviceLostError);
    expect(toGpuError(new Error('whatever came next')).message).toMatch(/^The GPU device was lost \(unknown: GPU fell off the bus\)/);
    resetGpuEvents();
    expect(gpuFailure()).toBeNull();
  });
});

describe.skipIf(!probe.ok)('ML core on WebGPU vs the CPU backend', () => {
  let cpu: Run;
  let gpu: Run;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const init = new GPT(cfg, { seed: 7 });
    const base = readWeights(init.params);
    init.dispose();
    const rmHead = Float32Array.from({ length: cfg.nEmbd }, (_, i) => Math.sin(i) * 0.1);
    cpu = await runAll(base, rmHead, null);
    const prepared = await prepareWebgpu({ allowSoftware: true });
    if (!prepared.ok) throw new Error(prepared.why);
    expect(await tf.setBackend('webgpu')).toBe(true);
    gpu = await runAll(base, rmHead, (cpu as Run & { batch: PpoBatch }).batch);
  }, 300_000);

  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('runs on the webgpu backend', () => {
    expect(tf.getBackend()).toBe('webgpu');
  });

  it('gives the CPU backend\'s forward logits on the same weights (left padding included)', () => {
    expect(gpu.logits.length).toBe(cpu.logits.length);
    expect(maxAbs(gpu.logits, cpu.logits)).toBeLessThan(1e-4);
  });

  it('decodes through the KV cache to the CPU sampler\'s greedy tokens', () => {
    expect(gpu.greedy).toEqual(cpu.greedy);
  });

  it('matches the first SFT, RM, DPO and PPO losses of the CPU backend within float32 tolerance', () => {
    console.log(`[webgpu.test] losses cpu vs webgpu: sft ${cpu.sft.map((x) => x.toFixed(6))} / ${gpu.sft.map((x) => x.toFixed(6))}; rm ${cpu.rm.map((x) => x.toFixed(6))} / ${gpu.rm.map((x) => x.toFixed(6))}; dpo ${cpu.dpo.map((x) => x.toFixed(6))} / ${gpu.dpo.map((x) => x.toFixed(6))}; ppo ${cpu.ppo.map((x) => x.toFixed(6))} / ${gpu.ppo.map((x) => x.toFixed(6))}`);
    const lengths = { sft: STEPS, rm: STEPS, dpo: 6 + STEPS, ppo: 2 * STEPS };
    for (const k of ['sft', 'rm', 'dpo', 'ppo'] as const) {
      expect(gpu[k]).toHaveLength(lengths[k]);
      gpu[k].forEach((x, i) => expect(Math.abs(x - cpu[k][i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu[k][i]))));
    }
    // The losses moved: the optimizer steps really ran on the GPU.
    expect(gpu.sft[STEPS - 1]).toBeLessThan(gpu.sft[0]);
    expect(gpu.rm[STEPS - 1]).toBeLessThan(gpu.rm[0]);
    expect(gpu.dpo[6 + STEPS - 1]).toBeLessThan(gpu.dpo[6]);
  });

  it('samples a PPO rollout on the GPU (sampling, scoring, whitening) with a finite score', () => {
    expect(Number.isFinite(gpu.rolloutScore)).toBe(true);
  });

  it('trains SFT end to end on WebGPU (loop, evaluation, best weights); a stray sync read is a clear error', async () => {
    const model = new GPT(cfg, { seed: 3 });
    const r = await trainSft({ model, tokenizer: tok, data: demos, evaluation: demos, config: { steps: 2, batchSize: 2, microBatchSize: 2, evalEvery: 1, checkpointEvery: 2, lr: LR } });
    expect(r.steps).toBe(2);
    expect(Number.isFinite(r.trainLoss) && Number.isFinite(r.bestEvalLoss!)).toBe(true);
    tf.dispose([...(r.bestWeights?.values() ?? [])]);
    let caught: unknown;
    try {
      model.params.get('wte.weight')!.dataSync();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(WebgpuSyncReadError);
    expect(toGpuError(caught)).toBe(caught);
    expect((caught as Error).message).toMatch(/await tensor\.data\(\)/);
    model.dispose();
  });

  it('reports a tensor over the GPU\'s binding limit as out of memory instead of returning stale data', async () => {
    const limit = webgpuDevice()!.limits.maxStorageBufferBindingSize;
    if (limit > 256 * 1024 ** 2) return console.log(`[webgpu.test] binding limit ${limit} B: too large to exceed in a test`);
    const n = limit / 4 + 1024;
    await expect(withGpuMemoryScope(async () => (await tf.tidy(() => tf.sum(tf.ones([n]))).data())[0])).rejects.toBeInstanceOf(GpuOutOfMemoryError);
    resetGpuEvents();
  });

  it('turns a lost device into GpuDeviceLostError (last: it ends this backend)', async () => {
    const x = tf.ones([8, 8]);
    webgpuDevice()!.destroy();
    await new Promise((r) => setTimeout(r, 50));
    let caught: unknown;
    try {
      await tf.matMul(x, x).data();
    } catch (e) {
      caught = e;
    }
    const err = toGpuError(caught ?? gpuFailure());
    expect(err).toBeInstanceOf(GpuDeviceLostError);
    expect(err.message).toMatch(/^The GPU device was lost \(destroyed.*last checkpoint is kept/);
  });
});

describe('WebGPU availability', () => {
  const base = { platform: 'linux', arch: 'x64', loader: true, drivers: ['/usr/share/vulkan/icd.d/nvidia_icd.json'], nvidiaIcd: false };

  it('explains a missing adapter in one line, naming what is missing and the fix', () => {
    expect(explainNoAdapter({ ...base, loader: false, drivers: [] })).toBe(
      "no WebGPU adapter: Couldn't load Vulkan (libvulkan.so.1 missing; install libvulkan1)",
    );
    expect(explainNoAdapter({ ...base, drivers: [], nvidiaIcd: true })).toBe(
      'no WebGPU adapter: the Vulkan loader found no driver (no ICD json; set VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json)',
    );
    expect(explainNoAdapter({ ...base, drivers: [] })).toMatch(/found no driver .*install the GPU driver's Vulkan ICD/);
    expect(explainNoAdapter(base)).toMatch(/^no WebGPU adapter: Vulkan driver\(s\) nvidia_icd\.json gave Dawn no usable adapter/);
    expect(explainNoAdapter({ ...base, platform: 'darwin', arch: 'arm64' })).toBe('no WebGPU adapter on darwin-arm64');
    for (const why of [explainNoAdapter(), explainNoAdapter({ ...base, loader: false })]) expect(why).not.toContain('\n');
  });

  it('automatic selection never takes a software adapter, and reports why', async () => {
    const auto = await prepareWebgpu({ auto: true });
    expect(auto.ok).toBe(false);
    if (!auto.ok) expect(auto.why).not.toContain('\n');
  });
});
