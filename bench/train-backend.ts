// Training and sampling throughput of the `small` preset on one TensorFlow.js backend: the part
// of `npm run bench:train` (bench/train.ts) that runs once per backend, in a process of its own.
//
//   npx tsx bench/train-backend.ts [backend]   (default: HONE_TF_BACKEND, else the automatic
//                                               choice; HONE_WASM_THREADS=1 tries wasm threads;
//                                               BENCH_RUNS=n timed runs per figure, default 3)
//
// Times the trainers' own step code (lib/ml/train: createLmStep, createRewardStep,
// createPpoStep's rollout and update) and the KV-cache sampler, then prints one JSON object as
// its last line. Achieved GFLOP/s counts 6·N FLOPs per token for forward + backward (N = the
// parameters that take part in products: everything but wpe, the tied wte counted once as the
// lm head) plus nanoGPT's attention term 12·nLayer·nEmbd·T, per model trained. Other processes
// on the machine slow every figure down; `loadavg` and `cpuShare` (CPU seconds this process got
// per wall second) are printed so a run can be judged.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, backendInfo } from '../lib/ml/backend';
import { GPT } from '../lib/ml/model/gpt';
import { PRESETS, parameterCount } from '../lib/ml/model/config';
import { sample } from '../lib/ml/sample';
import { xnnMatMul } from '../lib/ml/ops/matmul';
import { createTokenizer, type ChatMessage } from '../lib/ml/tokenizer';
import { RewardModel, criticFromRewardModel } from '../lib/ml/heads';
import { createLmStep } from '../lib/ml/train/lm';
import { SftConfigSchema } from '../lib/shared/stage-config';
import { createRewardStep, type EncodedRanking } from '../lib/ml/train/reward';
import { createPpoStep } from '../lib/ml/train/ppo';
import { toRow } from '../lib/ml/train/lm';
import { createRng } from '../lib/ml/sample';

const wall0 = performance.now();
const cpu0 = process.cpuUsage();
const info = await initBackend({ backend: process.argv[2] || process.env.HONE_TF_BACKEND || undefined, wasmThreads: process.env.HONE_WASM_THREADS }).catch((e: Error) => {
  // One JSON line saying why, for bench/train.ts's "notMeasured".
  console.log(JSON.stringify({ error: e.message }));
  process.exit(1);
});
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const cfg = PRESETS.small;
const tok = createTokenizer(cfg.tokenizer);
const pad = tok.special.pad;
const T = cfg.nPositions; // 128
const rng = createRng(1);
const text = (n: number) => Array.from({ length: n }, () => 32 + Math.floor(rng() * 95)); // printable bytes

const matmulParams = parameterCount(cfg) - cfg.nPositions * cfg.nEmbd;
const flopsPerToken = (len: number) => 6 * matmulParams + 12 * cfg.nLayer * cfg.nEmbd * len;
const gflops = (tokens: number, len: number, seconds: number, models = 1) => (models * tokens * flopsPerToken(len)) / seconds / 1e9;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Median wall time of fn over `runs` runs after `warmup` untimed ones. */
async function time(fn: () => unknown | Promise<unknown>, runs: number, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ts.push((performance.now() - t0) / 1000);
  }
  return ts.sort((a, b) => a - b)[Math.floor(ts.length / 2)];
}

const log = (s: string) => process.stderr.write(`${s}\n`);
log(`backend: ${info.name} (${info.reason}); small = ${parameterCount(cfg)} parameters`);

// ---- large matmul: the ceiling for everything below (measured first and last; the best counts)
async function matmulGflopsNow(): Promise<number> {
  const big = tf.randomNormal([1024, 1024]) as tf.Tensor2D;
  const s = await time(async () => {
    const c = xnnMatMul(big, big); // (read outside tidy: tidy walks a returned typed array element by element)
    await c.data(); // waits for the product on every backend, WebGPU included
    c.dispose();
  }, RUNS + 2);
  big.dispose();
  return (2 * 1024 ** 3) / s / 1e9;
}
let matmulGflops = await matmulGflopsNow();
log(`matmul 1024³: ${round(matmulGflops)} GFLOP/s`);

// ---- SFT: 8 full-length rows of 128 tokens per optimizer step ----------------------------
const policy = new GPT(cfg, { seed: 1 });
const sftRowsB = Array.from({ length: 8 }, () => toRow(text(T + 1), new Array(T + 1).fill(1), T));
const sft = createLmStep(policy, SftConfigSchema.parse({ microBatchSize: 8 }), pad);
const sftTokens = sftRowsB.length * T;
const sftS = await time(() => sft.step(sftRowsB, 1e-4), RUNS);
sft.dispose();
const sftResult = { tokensPerSec: round(sftTokens / sftS, 0), gflops: round(gflops(sftTokens, T, sftS)), batch: [8, T] };
log(`SFT: ${JSON.stringify(sftResult)}`);

// ---- RM: 2 rankings × 4 completions of 128 tokens per step --------------------------------
const rm = new RewardModel(policy.clone(), undefined, 1);
const rankings: EncodedRanking[] = Array.from({ length: 2 }, () => ({ seqs: Array.from({ length: 4 }, () => text(T)), tiers: [[0], [1, 2], [3]] }));
const rmStep = createRewardStep(rm, { microBatchSize: 2 }, pad);
const rmTokens = 8 * T;
const rmS = await time(() => rmStep.step(rankings, 1e-5), RUNS);
rmStep.dispose();
const rmResult = { tokensPerSec: round(rmTokens / rmS, 0), gflops: round(gflops(rmTokens, T, rmS)), batch: [8, T] };
log(`RM: ${JSON.stringify(rmResult)}`);

// ---- PPO: rollout (sample + score with policy, reference, critic) and one update epoch ------
const reference = policy.clone();
const critic = criticFromRewardModel(rm);
const contexts: ChatMessage[][] = Array.from({ length: 8 }, () => [{ role: 'user', content: String.fromCharCode(...text(80)) }]);
const reward = (_c: ChatMessage[][], replies: string[]) => replies.map((r) => (r.match(/e/g) ?? []).length);
const ppo = createPpoStep({
  policy,
  reference,
  critic,
  tokenizer: tok,
  reward,
  config: { batchSize: 8, miniBatchSize: 8, microBatchSize: 8, ppoEpochs: 1, maxNewTokens: 32, temperature: 1 },
});
await ppo.rollout(contexts, 0.02, 0); // warm-up
let t0 = performance.now();
const batch = await ppo.rollout(contexts, 0.02, 1);
const rolloutS = (performance.now() - t0) / 1000;
const generated = batch.ro.responseMask.flat().reduce((a, b) => a + b, 0);
const updateTokens = batch.ro.ids.length * (batch.ro.queryWidth + batch.ro.responseWidth);
let updateSeed = 0;
const updateS = await time(() => ppo.update(batch, 1e-5, updateSeed++, 0), RUNS);
ppo.dispose();
const L = batch.ro.queryWidth + batch.ro.responseWidth;
const ppoResult = {
  update: { tokensPerSec: round(updateTokens / updateS, 0), gflops: round(gflops(updateTokens, L, updateS, 2)), batch: [8, L], models: 'policy + critic' },
  rollout: { tokensPerSec: round(generated / rolloutS, 0), samplerTokensPerSec: round(batch.stats.sample_tokens_per_s, 0), generated },
};
log(`PPO: ${JSON.stringify(ppoResult)}`);

// ---- sampling with the KV cache -----------------------------------------------------------
async function sampling(B: number, newTokens: number): Promise<number> {
  const prompts = Array.from({ length: B }, (_, b) => text(8 + b));
  const s = await time(() => sample(policy, prompts, { maxNewTokens: newTokens, temperature: 1, seed: 3 }), RUNS);
  return round((B * newTokens) / s, 0);
}
const sampling1 = await sampling(1, 100);
const sampling8 = await sampling(8, 100);
log(`sampling: batch 1 ${sampling1} tok/s, batch 8 ${sampling8} tok/s`);

for (const m of [policy, reference, rm.backbone]) m.dispose();
matmulGflops = Math.max(matmulGflops, await matmulGflopsNow());
const live = backendInfo();
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    backend: live.name,
    reason: live.reason,
    threads: live.threads ?? null,
    preset: 'small',
    parameters: parameterCount(cfg),
    sft: sftResult,
    rm: rmResult,
    ppoUpdate: ppoResult.update,
    ppoRollout: ppoResult.rollout,
    samplingTokensPerSec: { batch1: sampling1, batch8: sampling8 },
    matmulGflops: round(matmulGflops),
    loadavg: os.loadavg().map((x) => round(x, 2)),
    // CPU time this process got per second of wall time: about 1 on an idle machine (one thread).
    cpuShare: round((cpu.user + cpu.system) / 1000 / (performance.now() - wall0), 2),
    cpus: os.cpus().length,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
