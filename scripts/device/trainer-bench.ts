// The parts gpu-bench times, each through the trainers' own code so a GPU figure is what a
// worker's job would get: SFT through createLmStep().step, RM through createRewardStep().step,
// PPO through createPpoStep()'s rollout (sample + scoring + the RM as reward) and update, and
// sampling through sample(). Every call is awaited: the ML core reads tensors asynchronously
// (WebGPU in Node has no synchronous read).
//
// FLOPs per trained token (forward + backward = 3 × forward's 2 per multiply-add) are counted as
// bench/train-backend.ts counts them: 6 × the parameters that take part in products (all but
// wpe; wte once, as the lm head, only where logits are computed) plus nanoGPT's attention term
// 12·layers·d·T. A figure is tokens/s (median step), TFLOP/s, and the fraction of the card's
// fp32 peak when the card is known.
import * as tf from '@tensorflow/tfjs-core';
import { GPT } from '../../lib/ml/model/gpt';
import { parameterCount, type GPTConfig } from '../../lib/ml/model/config';
import { RewardModel, criticFromRewardModel, rmReward } from '../../lib/ml/heads';
import { createLmStep, toRow } from '../../lib/ml/train/lm';
import { createRewardStep, type EncodedRanking } from '../../lib/ml/train/reward';
import { createPpoStep } from '../../lib/ml/train/ppo';
import { createRng, sample } from '../../lib/ml/sample';
import { createTokenizer, type ChatMessage } from '../../lib/ml/tokenizer';
import { GpuDeviceLostError, toGpuError } from '../../lib/ml/gpu-errors';
import { SftConfigSchema } from '../../lib/shared/stage-config';
import type { Part } from './args';

export type Figure = Record<string, number | number[] | string | null>;

export type BenchPlan = {
  config: GPTConfig;
  batch: number;
  steps: number;
  newTokens: number;
  matmul: number;
  parts: readonly Part[];
  /** performance.now() after which no part starts and timed loops stop (Infinity: none). */
  deadline: number;
  /** fp32 TFLOP/s of the card, for peak_fraction (null: unknown). */
  peakTflops: number | null;
  /** Called after every part with the figures so far (gpu-bench prints them as a partial line). */
  onPart?: (results: BenchResults) => void;
  log?: (line: string) => void;
};

export type BenchResults = {
  parts: Record<string, Figure>;
  /** Parts not run, with why (over the time budget, or an earlier lost device). */
  skipped: Record<string, string>;
  /** Parts that threw, with the error's first line. */
  errors: Record<string, string>;
};

const round = (x: number, d = 3) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

/** Parameters that take part in products: all but wpe, and wte only when logits are computed. */
export function matmulParams(c: GPTConfig, lmHead: boolean): number {
  return parameterCount(c) - c.nPositions * c.nEmbd - (lmHead ? 0 : c.vocabSize * c.nEmbd);
}

/** Training FLOPs per token of one model over a context of T. */
export function trainFlopsPerToken(c: GPTConfig, T: number, lmHead = true): number {
  return 6 * matmulParams(c, lmHead) + 12 * c.nLayer * c.nEmbd * T;
}

/** Median seconds of `steps` calls after one untimed warm-up (shader compilation), stopping at the deadline. */
async function timeSteps(steps: number, deadline: number, fn: () => Promise<unknown>): Promise<{ seconds: number; firstSeconds: number; timed: number }> {
  let t0 = performance.now();
  await fn();
  const firstSeconds = (performance.now() - t0) / 1000;
  const ts: number[] = [];
  while (ts.length < steps && (ts.length === 0 || performance.now() < deadline)) {
    t0 = performance.now();
    await fn();
    ts.push((performance.now() - t0) / 1000);
  }
  ts.sort((a, b) => a - b);
  return { seconds: ts[Math.floor(ts.length / 2)], firstSeconds, timed: ts.length };
}

function throughput(tokens: number, flopsPerStep: number | null, t: { seconds: number; firstSeconds: number; timed: number }, peak: number | null): Figure {
  const tflops = flopsPerStep === null ? null : flopsPerStep / t.seconds / 1e12;
  return {
    tokens_per_s: round(tokens / t.seconds, 1),
    ...(tflops === null ? {} : { tflops: round(tflops, 4), peak_fraction: peak && tflops !== null ? round(tflops / peak, 4) : null }),
    sec_per_step: round(t.seconds, 4),
    first_step_s: round(t.firstSeconds, 3),
    timed_steps: t.timed,
  };
}

/** Printable ASCII as byte-tokenizer ids (a real corpus's statistics do not change the cost). */
function textIds(r: () => number, n: number): number[] {
  return Array.from({ length: n }, () => 32 + Math.floor(r() * 95));
}

export async function runTrainerBench(plan: BenchPlan): Promise<BenchResults> {
  const { config: c, batch: B, steps, deadline, peakTflops: peak } = plan;
  if (c.tokenizer !== 'byte') throw new Error(`gpu-bench models use the byte tokenizer, got ${c.tokenizer}`);
  const log = plan.log ?? (() => {});
  const T = c.nPositions;
  const tok = createTokenizer('byte');
  const pad = tok.special.pad;
  const r = createRng(1);
  const res: BenchResults = { parts: {}, skipped: {}, errors: {} };
  let lost: string | null = null;

  // Models are built once and shared as the trainers share them: SFT trains the policy, the RM
  // starts from a copy, PPO's reference is a copy and its critic comes from the RM.
  const policy = new GPT(c, { seed: 1 });
  const rm = new RewardModel(policy.clone(), undefined, 1);
  const owned: { dispose(): void }[] = [policy, rm];

  /** Runs one part (`wanted` in --parts) that yields the figures named `names`, unless out of time or device. */
  async function part(wanted: Part, names: readonly string[], fn: () => Promise<Record<string, Figure>>) {
    if (!plan.parts.includes(wanted)) return;
    const skip = lost ? `the GPU device was lost earlier (${lost})` : performance.now() >= deadline ? 'over the time budget (--budget)' : null;
    if (skip) {
      for (const n of names) res.skipped[n] = skip;
      return;
    }
    const t0 = performance.now();
    try {
      const out = await fn();
      Object.assign(res.parts, out);
      log(`${wanted}: ${JSON.stringify(out)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (e) {
      const err = toGpuError(e);
      for (const n of names) res.errors[n] = `${err.name}: ${err.message.split('\n')[0]}`;
      log(`${wanted} failed: ${err.name}: ${err.message}`);
      if (err instanceof GpuDeviceLostError) lost = err.message.split('\n')[0];
    }
    plan.onPart?.(res);
  }

  await part('sft', ['sft'], async () => {
    const rows = Array.from({ length: B }, () => toRow(textIds(r, T + 1), new Array<number>(T + 1).fill(1), T));
    const sft = createLmStep(policy, SftConfigSchema.parse({ microBatchSize: B }), pad);
    try {
      const t = await timeSteps(steps, deadline, async () => {
        const out = await sft.step(rows, 1e-5);
        if (!Number.isFinite(out.loss)) throw new Error(`SFT loss is ${out.loss}`);
      });
      return { sft: { ...throughput(B * T, B * T * trainFlopsPerToken(c, T), t, peak), batch: [B, T] } };
    } finally {
      sft.dispose();
    }
  });

  await part('rm', ['rm'], async () => {
    // Rankings of 4 completions in 3 tiers (the labeling UI's shape), one micro-batch.
    const n = Math.max(1, Math.floor(B / 4));
    const rankings: EncodedRanking[] = Array.from({ length: n }, () => ({ seqs: Array.from({ length: 4 }, () => textIds(r, T)), tiers: [[0], [1, 2], [3]] }));
    const step = createRewardStep(rm, { batchSize: n, microBatchSize: n }, pad);
    try {
      const t = await timeSteps(steps, deadline, async () => {
        const out = await step.step(rankings, 1e-5);
        if (!Number.isFinite(out.loss)) throw new Error(`RM loss is ${out.loss}`);
      });
      const tokens = 4 * n * T;
      return { rm: { ...throughput(tokens, tokens * trainFlopsPerToken(c, T, false), t, peak), batch: [4 * n, T] } };
    } finally {
      step.dispose();
    }
  });

  await part('ppo', ['ppo_update', 'ppo_rollout'], async () => {
    const n = Math.max(1, Math.floor(B / 2));
    const reference = policy.clone();
    const critic = criticFromRewardModel(rm);
    owned.push(reference, critic);
    // Prompts longer than the budget keep their end, so every row fills the context.
    const contexts: ChatMessage[][] = Array.from({ length: n }, () => [{ role: 'user', content: String.fromCharCode(...textIds(r, T)) }]);
    const ppo = createPpoStep({
      policy,
      reference,
      critic,
      tokenizer: tok,
      reward: rmReward(rm, tok),
      config: { batchSize: n, miniBatchSize: n, microBatchSize: n, ppoEpochs: 1, maxNewTokens: plan.newTokens, temperature: 1 },
    });
    try {
      const batches: Awaited<ReturnType<typeof ppo.rollout>>[] = [];
      let seed = 0;
      // A rollout samples token by token, so one timed after the warm-up is enough.
      const rollout = await timeSteps(1, deadline, async () => {
        batches.push(await ppo.rollout(contexts, 0.02, seed++));
      });
      const b = batches[batches.length - 1];
      const L = b.ro.queryWidth + b.ro.responseWidth;
      const generated = b.ro.responseMask.flat().reduce((s, x) => s + x, 0);
      const update = await timeSteps(steps, deadline, async () => {
        const out = await ppo.update(b, 1e-5, seed++, 0);
        if (!Number.isFinite(out.metrics.policy_loss)) throw new Error(`PPO policy loss is ${out.metrics.policy_loss}`);
      });
      // Policy and critic forward and backward over every token; logits only over the reply.
      const flops = n * L * (trainFlopsPerToken(c, L, false) * 2) + n * b.ro.responseWidth * 6 * c.vocabSize * c.nEmbd;
      return {
        ppo_update: { ...throughput(n * L, flops, update, peak), batch: [n, L] },
        ppo_rollout: {
          ...throughput(generated, null, rollout, peak),
          sampler_tokens_per_s: round(b.stats.sample_tokens_per_s, 1),
          batch: [n, L],
          new_tokens: plan.newTokens,
        },
      };
    } finally {
      ppo.dispose();
    }
  });

  for (const [key, rows] of [['sample_b1', 1], ['sample_batch', B]] as const) {
    await part('sample', [key], async () => {
      const prompts = Array.from({ length: rows }, () => textIds(r, 16));
      const newTokens = Math.min(plan.newTokens, T - 16);
      const t = await timeSteps(1, deadline, async () => {
        const out = await sample(policy, prompts, { maxNewTokens: newTokens, temperature: 1, seed: 3 });
        if (out.tokens.length !== rows) throw new Error(`sample returned ${out.tokens.length} rows for ${rows}`);
      });
      return { [key]: { ...throughput(rows * newTokens, null, t, peak), batch: rows, new_tokens: newTokens } };
    });
  }

  await part('matmul', ['matmul'], async () => {
    const n = plan.matmul;
    const a = tf.randomNormal([n, n]);
    const m = tf.randomNormal([n, n]);
    try {
      // Ten products queued back to back, one read at the end: the kernel's rate, not the read's.
      const t = await timeSteps(steps, deadline, async () => {
        for (let i = 0; i < 9; i++) tf.tidy(() => void tf.matMul(a, m));
        const s = tf.tidy(() => tf.sum(tf.matMul(a, m)));
        await s.data();
        s.dispose();
      });
      const tflops = (10 * 2 * n ** 3) / t.seconds / 1e12;
      return { matmul: { n, tflops: round(tflops, 4), peak_fraction: peak ? round(tflops / peak, 4) : null, sec_per_10: round(t.seconds, 4) } };
    } finally {
      tf.dispose([a, m]);
    }
  });

  for (const o of owned) o.dispose();
  return res;
}
