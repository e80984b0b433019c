// Throughput of the ML core's training and sampling on any TensorFlow.js backend, reading GPU
// tensors only asynchronously, so it runs on WebGPU in Node (where the trainers' synchronous
// reads cannot: see WebgpuSyncReadError in lib/ml/gpu-errors.ts). Same model code, losses and
// Adam as the trainers; what differs is only that each step awaits its loss instead of dataSync.
//
//   npx tsx scripts/device/gpu-bench.ts [--preset small|large] [--batch N] [--steps N] [--backend NAME] [--probe]
//
// --probe only starts the backend, runs one small product and prints {backend, adapter}.
// --backend defaults to HONE_TF_BACKEND, then the automatic choice. `large` is 12 layers,
// d 768, 12 heads, context 256 on the byte vocabulary (GPT-2-small shape, fills a GPU better).
// Prints a few human lines, then one JSON object as the last line:
//   backend, adapter, preset, params, SFT and PPO-update train tokens/s and TFLOP/s
//   (6·matmul params + 12·layers·d·context FLOPs per token, as bench/train.ts), sampling tokens/s at
//   batch 1 and 32 (KV cache, greedy), and a square matmul's TFLOP/s.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../lib/ml/backend';
import { isGpuBackend } from '../../lib/shared/backends';
import { env } from '../../lib/env';
import { describeAdapter, webgpuAdapter } from '../../lib/ml/backend-webgpu';
import { toGpuError } from '../../lib/ml/gpu-errors';
import { GPT } from '../../lib/ml/model/gpt';
import { PRESETS, parameterCount, type GPTConfig } from '../../lib/ml/model/config';
import { ValueModel } from '../../lib/ml/heads';
import { logprobsFromLogits, maskedNll, ppoPolicyLoss, ppoValueLoss } from '../../lib/ml/losses';
import { Adam } from '../../lib/ml/train/optimizer';

export const BENCH_PRESETS: Record<'small' | 'large', GPTConfig> = {
  small: PRESETS.small,
  large: { ...PRESETS.small, nPositions: 256, nEmbd: 768, nLayer: 12, nHead: 12 },
};

type Args = { preset: 'small' | 'large'; batch: number; steps: number; backend?: string; matmul: number; probe: boolean };

function parseArgs(argv: string[]): Args {
  const a: Args = { preset: 'small', batch: 0, steps: 5, matmul: 2048, probe: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--preset') {
      if (v !== 'small' && v !== 'large') throw new Error(`--preset must be small or large, got ${v}`);
      a.preset = v;
      i++;
    } else if (k === '--batch') (a.batch = Number(v)), i++;
    else if (k === '--steps') (a.steps = Number(v)), i++;
    else if (k === '--backend') (a.backend = v), i++;
    else if (k === '--matmul') (a.matmul = Number(v)), i++;
    else if (k === '--probe') a.probe = true;
    else throw new Error(`unknown argument ${k} (use --preset, --batch, --steps, --backend, --matmul, --probe)`);
  }
  for (const [k, v] of [['--batch', a.batch], ['--steps', a.steps], ['--matmul', a.matmul]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`${k} must be a non-negative integer, got ${v}`);
  }
  return a;
}

/**
 * Training FLOPs per token, counted as bench/train.ts does so the figures compare: 6·N for the
 * parameters that take part in products (all but wpe; the tied wte once, as the lm head) plus
 * nanoGPT's attention term 12·L·C·T.
 */
function trainFlopsPerToken(c: GPTConfig, T: number): number {
  return 6 * (parameterCount(c) - c.nPositions * c.nEmbd) + 12 * c.nLayer * T * c.nEmbd;
}

function randomIds(B: number, T: number, V: number, seed: number): number[][] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % (V - 8)) + 1;
  return Array.from({ length: B }, () => Array.from({ length: T }, next));
}

/** Gradients of `loss` for `params`, one Adam step, loss awaited (the step's sync point). */
async function step(params: Map<string, tf.Variable>, opt: Adam, loss: () => tf.Scalar): Promise<number> {
  const names = [...params.keys()];
  const vars = names.map((n) => params.get(n)!);
  const { value, grads } = tf.variableGrads(loss, vars);
  const named = new Map<string, tf.Tensor>();
  names.forEach((n, i) => grads[vars[i].name] && named.set(n, grads[vars[i].name]));
  opt.apply(named, 1e-4);
  const v = (await value.data())[0];
  tf.dispose([value, ...Object.values(grads)]);
  if (!Number.isFinite(v)) throw new Error(`non-finite loss ${v}`);
  return v;
}

async function timeSteps(n: number, f: () => Promise<unknown>): Promise<number> {
  await f(); // warm-up: shader compilation / kernel selection
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await f();
  return (performance.now() - t0) / 1000 / Math.max(1, n);
}

async function benchSft(c: GPTConfig, B: number, steps: number) {
  const T = c.nPositions;
  const model = new GPT(c, { seed: 1 });
  const opt = new Adam(model.params, { eps: 1e-8 });
  const ids = randomIds(B, T + 1, c.vocabSize, 7);
  const x = tf.tensor2d(ids.map((r) => r.slice(0, T)), [B, T], 'int32');
  const y = tf.tensor2d(ids.map((r) => r.slice(1)), [B, T], 'int32');
  const w = tf.ones([B, T]) as tf.Tensor2D;
  const s = await timeSteps(steps, () => step(model.params, opt, () => maskedNll(model.forward(x), y, w, B * T)));
  tf.dispose([x, y, w]);
  opt.dispose();
  model.dispose();
  const tokens = B * T;
  return { batch: B, context: T, sec_per_step: s, tokens_per_s: tokens / s, tflops: (tokens * trainFlopsPerToken(c, T)) / s / 1e12 };
}

async function benchPpoUpdate(c: GPTConfig, B: number, steps: number) {
  // A PPO mini-batch update as lib/ml/train/ppo.ts does it: policy log-probs of the response
  // (temperature-scaled), critic values, clipped policy + value losses, one Adam step on both.
  const T = c.nPositions;
  const R = Math.floor(T / 2);
  const policy = new GPT(c, { seed: 2 });
  const critic = new ValueModel(new GPT(c, { seed: 3 }), undefined, 0, 4);
  const params = new Map([...[...policy.params].map(([k, v]) => [`policy.${k}`, v] as const), ...[...critic.params()].map(([k, v]) => [`value.${k}`, v] as const)]);
  const opt = new Adam(params, { eps: 1e-8 });
  const ids = tf.tensor2d(randomIds(B, T, c.vocabSize, 11), [B, T], 'int32');
  const old = tf.fill([B, R], -5.5) as tf.Tensor2D;
  const oldV = tf.zeros([B, R]) as tf.Tensor2D;
  const adv = tf.randomNormal([B, R], 0, 1, 'float32', 5) as tf.Tensor2D;
  const ret = tf.randomNormal([B, R], 0, 1, 'float32', 6) as tf.Tensor2D;
  const mask = tf.ones([B, R]) as tf.Tensor2D;
  const loss = () =>
    tf.tidy(() => {
      const q = T - R;
      const h = policy.hidden(ids);
      const logits = policy.lmHead(tf.slice(h, [0, q - 1, 0], [B, R, c.nEmbd]) as tf.Tensor3D);
      const lp = logprobsFromLogits(logits, tf.slice(ids, [0, q], [B, R]) as tf.Tensor2D, 0.7);
      const hv = critic.backbone.hidden(ids);
      const v = critic.valuesFromHidden(tf.slice(hv, [0, q - 1, 0], [B, R, c.nEmbd]) as tf.Tensor3D);
      return tf.add(ppoPolicyLoss(lp, old, adv, mask, 0.2).loss, tf.mul(ppoValueLoss(v, oldV, ret, mask, 0.2).loss, 0.1)) as tf.Scalar;
    });
  const s = await timeSteps(steps, () => step(params, opt, loss));
  tf.dispose([ids, old, oldV, adv, ret, mask]);
  opt.dispose();
  policy.dispose();
  critic.dispose();
  const tokens = B * T;
  // Two backbones (policy and critic) forward and backward over every token.
  return { batch: B, context: T, sec_per_step: s, tokens_per_s: tokens / s, tflops: (2 * tokens * trainFlopsPerToken(c, T)) / s / 1e12 };
}

async function benchSampling(c: GPTConfig, B: number, newTokens: number) {
  const model = new GPT(c, { seed: 1 });
  const promptLen = Math.min(16, c.nPositions - newTokens);
  const run = async () => {
    const cache = model.createCache(B);
    let next = tf.tensor2d(randomIds(B, promptLen, c.vocabSize, 3), [B, promptLen], 'int32');
    for (let i = 0; i < newTokens; i++) {
      const out = model.forwardCached(next, cache);
      const tok = tf.tidy(() => tf.cast(tf.argMax(tf.reshape(tf.slice(out, [0, out.shape[1] - 1, 0], [B, 1, c.vocabSize]), [B, c.vocabSize]), 1), 'int32'));
      const ids = await tok.data(); // the sampler's per-token read
      tf.dispose([out, next, tok]);
      next = tf.tensor2d(Array.from(ids, (t) => [t]), [B, 1], 'int32');
    }
    next.dispose();
    cache.dispose();
  };
  await run(); // warm-up
  const t0 = performance.now();
  await run();
  const s = (performance.now() - t0) / 1000;
  model.dispose();
  return { batch: B, new_tokens: newTokens, tokens_per_s: (B * newTokens) / s };
}

async function benchMatmul(n: number) {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const reps = 10;
  const once = async () => {
    const c = tf.matMul(a, b);
    await tf.sum(c).data();
    c.dispose();
  };
  await once();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) tf.tidy(() => void tf.matMul(a, b)); // queued back to back
  await once();
  const s = (performance.now() - t0) / 1000 / (reps + 1);
  tf.dispose([a, b]);
  return { n, tflops: (2 * n ** 3) / s / 1e12 };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const settings = env(); // HONE_TF_BACKEND and HONE_WASM_THREADS, validated
  const info = await initBackend({ backend: args.backend || settings.HONE_TF_BACKEND, wasmThreads: settings.HONE_WASM_THREADS });
  const adapter = webgpuAdapter();
  console.log(`backend: ${info.name} (${info.reason})`);
  if (adapter) console.log(`adapter: ${describeAdapter(adapter)}${info.name === 'webgpu' ? '' : ' — not used'}`);
  if (args.probe) {
    // Start the backend and prove it computes (one small product read back), nothing more.
    const p = tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]));
    const v = (await p.data())[0];
    p.dispose();
    if (v !== 64) throw new Error(`the ${info.name} backend computed 1·1 over 64 terms as ${v}, not 64`);
    console.log(JSON.stringify({ backend: info.name, reason: info.reason, adapter: adapter ?? null }));
    return;
  }
  const c = BENCH_PRESETS[args.preset];
  const gpu = isGpuBackend(info.name);
  const B = args.batch || (gpu ? (args.preset === 'large' ? 16 : 32) : 4);
  console.log(`preset ${args.preset}: ${(parameterCount(c) / 1e6).toFixed(1)}M parameters, batch ${B} × context ${c.nPositions}, ${args.steps} timed steps`);
  const out: Record<string, unknown> = { backend: info.name, reason: info.reason, adapter: adapter ?? null, preset: args.preset, config: c, params: parameterCount(c) };
  const t0 = performance.now();
  out.sft = await benchSft(c, B, args.steps);
  console.log('sft', JSON.stringify(out.sft));
  out.ppo_update = await benchPpoUpdate(c, Math.max(1, B / 2), args.steps);
  console.log('ppo_update', JSON.stringify(out.ppo_update));
  out.sample_b1 = await benchSampling(c, 1, gpu ? 64 : 16);
  out.sample_b32 = await benchSampling(c, 32, gpu ? 64 : 8);
  console.log('sampling', JSON.stringify([out.sample_b1, out.sample_b32]));
  if (args.matmul) out.matmul = await benchMatmul(args.matmul);
  out.seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  const err = toGpuError(e);
  console.error(`gpu-bench failed: ${err.name}: ${err.message}`);
  console.log(JSON.stringify({ error: `${err.name}: ${err.message.split('\n')[0]}` }));
  process.exit(1);
});
