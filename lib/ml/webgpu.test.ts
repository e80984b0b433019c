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
// Node limitation (see lib/ml/backend-webgpu.ts): GPU tensors can only be read asynchronously,
// so these checks read with `await tensor.data()`, and the last test pins down that the ML
// core's synchronous reads (dataSync inside the trainers' step functions) fail with the clear
// WebgpuSyncReadError rather than an obscure OffscreenCanvas crash.
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
import { maskedNll, ppoPolicyLoss, ppoValueLoss, rankingLoss, logprobsFromLogits, type RankingSlice } from './losses';
import { Adam } from './train/optimizer';
import { sftRows } from './train/sft';
import { createLmStep } from './train/lm';
import { SftConfigSchema } from '../shared/stage-config';
import { sample } from './sample';
import { createTokenizer } from './tokenizer';
import type { LmRow } from './train/lm';

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

/** Gradients of `loss` keyed by our parameter names; value read asynchronously. */
async function gradStep(params: Map<string, tf.Variable>, opt: Adam, loss: () => tf.Scalar): Promise<number> {
  const names = [...params.keys()];
  const vars = names.map((n) => params.get(n)!);
  const { value, grads } = tf.variableGrads(loss, vars);
  const named = new Map<string, tf.Tensor>();
  names.forEach((n, i) => grads[vars[i].name] && named.set(n, grads[vars[i].name]));
  opt.apply(named, LR);
  const v = (await value.data())[0];
  tf.dispose([value, ...Object.values(grads)]);
  return v;
}

function lmTensors(rows: LmRow[]) {
  const T = Math.max(...rows.map((r) => r.inputs.length));
  const pad = (xs: number[]) => [...xs, ...new Array<number>(T - xs.length).fill(0)];
  return {
    ids: tf.tensor2d(rows.map((r) => pad(r.inputs)), [rows.length, T], 'int32'),
    mask: tf.tensor2d(rows.map((r) => pad(r.inputs.map(() => 1))), [rows.length, T], 'int32'),
    targets: tf.tensor2d(rows.map((r) => pad(r.targets)), [rows.length, T], 'int32'),
    weights: tf.tensor2d(rows.map((r) => pad(r.weights)), [rows.length, T], 'float32'),
  };
}

const demos = [
  { messages: [{ role: 'user' as const, content: 'hi' }, { role: 'assistant' as const, content: 'hello there friend' }] },
  { messages: [{ role: 'user' as const, content: 'color?' }, { role: 'assistant' as const, content: 'blue sky' }] },
];
const rows = sftRows(tok, demos, 64);
const nTargets = rows.reduce((a, r) => a + r.weights.reduce((x, y) => x + y, 0), 0);
// Reward model: 2 rankings of 3 completions each, forwarded once per completion.
const rmSeqs = [
  [1, 5, 9, 14, 20],
  [1, 5, 9, 30, 31],
  [1, 5, 9, 40, 41],
  [2, 7, 8, 50, 51],
  [2, 7, 8, 60, 61],
  [2, 7, 8, 70, 71],
];
const rmSlices: RankingSlice[] = [
  { start: 0, tiers: [[0], [1, 2]] },
  { start: 3, tiers: [[2], [0], [1]] },
];
const rmLast = rmSeqs.map((s) => s.length - 1);
// PPO: fixed rollout of 3 rows; old log-probs/values come from the CPU run and are shared.
const ppoIds = [
  [1, 4, 9, 16, 25, 36, 49],
  [2, 3, 5, 7, 11, 13, 17],
  [8, 6, 7, 5, 3, 0, 9],
];
const R = 4;
const ppoAdv = [
  [0.5, -1, 1.5, 0.2],
  [-0.3, 0.8, -1.2, 0.4],
  [1, 0.1, -0.5, -0.9],
];
const ppoRet = [
  [0.2, 0.1, -0.1, 0.3],
  [0.0, 0.4, 0.2, -0.2],
  [-0.3, 0.5, 0.1, 0.0],
];
const ppoMask = [
  [1, 1, 1, 1],
  [1, 1, 1, 0],
  [1, 1, 0, 0],
];

function ppoLoss(policy: GPT, critic: ValueModel, old: tf.Tensor2D, oldV: tf.Tensor2D) {
  return () =>
    tf.tidy(() => {
      const ids = tf.tensor2d(ppoIds, [3, ppoIds[0].length], 'int32');
      const T = ppoIds[0].length;
      const q = T - R;
      const h = policy.hidden(ids); // [3, T, C]
      const logits = policy.lmHead(tf.slice(h, [0, q - 1, 0], [3, R, cfg.nEmbd]) as tf.Tensor3D); // predicts tokens q..T-1
      const targets = tf.slice(ids, [0, q], [3, R]) as tf.Tensor2D;
      const lp = logprobsFromLogits(logits, targets, 0.7);
      const hv = critic.backbone.hidden(ids);
      const v = critic.valuesFromHidden(tf.slice(hv, [0, q - 1, 0], [3, R, cfg.nEmbd]) as tf.Tensor3D);
      const mask = tf.tensor2d(ppoMask);
      const pg = ppoPolicyLoss(lp, old, tf.tensor2d(ppoAdv), mask, 0.2);
      const vf = ppoValueLoss(v, oldV, tf.tensor2d(ppoRet), mask, 0.2);
      return tf.add(pg.loss, tf.mul(vf.loss, 0.1)) as tf.Scalar;
    });
}

type Run = { logits: Float32Array; greedy: number[]; sft: number[]; rm: number[]; ppo: number[] };

/** Everything the comparison needs, on the current backend, from the same starting weights. */
async function runAll(base: { w: Weights; s: Shapes }, rmHead: Float32Array, old: { lp: number[][]; v: number[][] }, onCpu: boolean): Promise<Run> {
  const ids = tf.tensor2d([[0, 0, 1, 2, 3, 4], [5, 6, 7, 8, 9, 10]], [2, 6], 'int32');
  const mask = tf.tensor2d([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]], [2, 6], 'int32');
  const m0 = gptFrom(base.w, base.s);
  const lg = m0.forward(ids, { attentionMask: mask });
  const logits = (await lg.data()) as Float32Array;
  tf.dispose([lg, ids, mask]);

  // Greedy decoding through the KV cache, as sample() does, with async reads.
  const prompt = [1, 2, 3, 4];
  let greedy: number[];
  if (onCpu) greedy = sample(m0, [prompt], { maxNewTokens: 8, temperature: 0 }).tokens[0];
  else {
    greedy = [];
    const cache = m0.createCache(1);
    let next = tf.tensor2d([prompt], [1, prompt.length], 'int32');
    for (let i = 0; i < 8; i++) {
      const out = m0.forwardCached(next, cache);
      const last = tf.tidy(() => tf.argMax(tf.reshape(tf.slice(out, [0, out.shape[1] - 1, 0], [1, 1, cfg.vocabSize]), [cfg.vocabSize])));
      const t = (await last.data())[0];
      greedy.push(t);
      tf.dispose([out, last, next]);
      next = tf.tensor2d([[t]], [1, 1], 'int32');
    }
    next.dispose();
    cache.dispose();
  }
  m0.dispose();

  // SFT: token-mean NLL on assistant tokens, Adam.
  const sftModel = gptFrom(base.w, base.s);
  const sftOpt = new Adam(sftModel.params, { eps: 1e-8 });
  const t = lmTensors(rows);
  const sft: number[] = [];
  for (let i = 0; i < STEPS; i++) sft.push(await gradStep(sftModel.params, sftOpt, () => maskedNll(sftModel.forward(t.ids, { attentionMask: t.mask }), t.targets, t.weights, nTargets)));
  tf.dispose(Object.values(t));
  sftOpt.dispose();
  sftModel.dispose();

  // Reward model: pairwise ranking loss over all pairs of each ranking.
  const head = tf.tensor2d(rmHead, [1, cfg.nEmbd]);
  const rm = new RewardModel(gptFrom(base.w, base.s), head);
  head.dispose();
  const rmOpt = new Adam(rm.params(), { eps: 1e-8 });
  const rmIds = tf.tensor2d(rmSeqs, [rmSeqs.length, rmSeqs[0].length], 'int32');
  const rmLoss: number[] = [];
  for (let i = 0; i < STEPS; i++) rmLoss.push(await gradStep(rm.params(), rmOpt, () => rankingLoss(rm.rewards(rmIds, rmLast), rmSlices)));
  rmIds.dispose();
  rmOpt.dispose();
  rm.dispose();

  // PPO: clipped policy loss + 0.1 × clipped value loss on a fixed rollout.
  const policy = gptFrom(base.w, base.s);
  const vHead = tf.tensor2d(rmHead, [1, cfg.nEmbd]);
  const critic = new ValueModel(gptFrom(base.w, base.s), vHead, 0.1);
  vHead.dispose();
  const params = new Map([...[...policy.params].map(([k, v]) => [`policy.${k}`, v] as const), ...[...critic.params()].map(([k, v]) => [`value.${k}`, v] as const)]);
  const ppoOpt = new Adam(params, { eps: 1e-8 });
  const oldT = tf.tensor2d(old.lp);
  const oldV = tf.tensor2d(old.v);
  const ppo: number[] = [];
  for (let i = 0; i < STEPS; i++) ppo.push(await gradStep(params, ppoOpt, ppoLoss(policy, critic, oldT, oldV)));
  tf.dispose([oldT, oldV]);
  ppoOpt.dispose();
  policy.dispose();
  critic.dispose();
  return { logits, greedy, sft, rm: rmLoss, ppo };
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
    // Old log-probs and values for PPO: the starting policy's, perturbed so ratios ≠ 1 and clipping engages.
    const old = {
      lp: ppoMask.map((row, b) => row.map((_, j) => -5.5 + 0.3 * Math.cos(b * 4 + j))),
      v: ppoMask.map((row, b) => row.map((_, j) => 0.05 * (b - j))),
    };
    cpu = await runAll(base, rmHead, old, true);
    const prepared = await prepareWebgpu({ allowSoftware: true });
    if (!prepared.ok) throw new Error(prepared.why);
    expect(await tf.setBackend('webgpu')).toBe(true);
    gpu = await runAll(base, rmHead, old, false);
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

  it('matches the first SFT, RM and PPO losses of the CPU backend within float32 tolerance', () => {
    console.log(`[webgpu.test] losses cpu vs webgpu: sft ${cpu.sft.map((x) => x.toFixed(6))} / ${gpu.sft.map((x) => x.toFixed(6))}; rm ${cpu.rm.map((x) => x.toFixed(6))} / ${gpu.rm.map((x) => x.toFixed(6))}; ppo ${cpu.ppo.map((x) => x.toFixed(6))} / ${gpu.ppo.map((x) => x.toFixed(6))}`);
    for (const k of ['sft', 'rm', 'ppo'] as const) {
      expect(gpu[k]).toHaveLength(STEPS);
      gpu[k].forEach((x, i) => expect(Math.abs(x - cpu[k][i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu[k][i]))));
    }
    // The losses moved: the optimizer steps really ran on the GPU.
    expect(gpu.sft[STEPS - 1]).toBeLessThan(gpu.sft[0]);
    expect(gpu.rm[STEPS - 1]).toBeLessThan(gpu.rm[0]);
  });

  it('turns the ML core\'s synchronous reads into a clear WebgpuSyncReadError', () => {
    const model = new GPT(cfg, { seed: 3 });
    const runner = createLmStep(model, SftConfigSchema.parse({}), tok.special.pad);
    let caught: unknown;
    try {
      runner.step(rows, 1e-3);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(WebgpuSyncReadError);
    expect(toGpuError(caught)).toBe(caught);
    expect((caught as Error).message).toMatch(/await tensor\.data\(\)/);
    runner.dispose();
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
