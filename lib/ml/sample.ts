// Batched sampling with the KV cache: temperature, top-k, top-p, max new tokens, stop tokens.
//
// Prompts of different lengths are left-padded (attention mask 0 on the padding, positions
// from cumsum(mask) − 1), so every row's next token comes out of the same last column.
// Each sampled token's log-probability is taken from the temperature-scaled logits
// (log_softmax(logits / T)) over the whole vocabulary, before top-k/top-p filtering — the
// distribution PPO scores with (InstructGPT / "N implementation details of RLHF": the policy
// is π(·) = softmax(logits / T) in both sampling and training).
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from './model/gpt';

export type SampleOptions = {
  maxNewTokens: number;
  /** Logits are divided by this. 0 = greedy (log-probs then use T = 1). Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens (0 or undefined: off). */
  topK?: number;
  /** Nucleus: keep the smallest set of tokens whose probability reaches p (1: off). */
  topP?: number;
  /** Stop a row when it samples one of these ids (end-of-turn, EOS); the stop token is kept. */
  stopTokens?: number[];
  /** Seed of the sampling RNG: same seed, same model, same prompts → same tokens. */
  seed?: number;
  /** Id written into padding positions (masked out, any valid id). Default 0. */
  padTokenId?: number;
};

export type SampleResult = {
  /** Generated ids per row (prompt excluded), including the stop token when one was hit. */
  tokens: number[][];
  /** log π(token) under softmax(logits / temperature), one per generated token. */
  logProbs: number[][];
  /** Whether the row ended on a stop token (false: hit maxNewTokens or the context length). */
  finished: boolean[];
};

/** mulberry32: small, fast, seedable; good enough for sampling. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks a token from one row of logits; returns it with its log-prob under logits / T. */
export function pickToken(
  logits: Float32Array,
  opts: { temperature: number; topK: number; topP: number },
  rng: () => number,
): { token: number; logProb: number } {
  const V = logits.length;
  const T = opts.temperature > 0 ? opts.temperature : 1;
  // log_softmax(logits / T)
  let max = -Infinity;
  for (let i = 0; i < V; i++) if (logits[i] / T > max) max = logits[i] / T;
  let sum = 0;
  const p = new Float64Array(V);
  for (let i = 0; i < V; i++) {
    p[i] = Math.exp(logits[i] / T - max);
    sum += p[i];
  }
  const logZ = max + Math.log(sum);
  const logProb = (i: number) => logits[i] / T - logZ;

  if (opts.temperature <= 0) {
    let best = 0;
    for (let i = 1; i < V; i++) if (logits[i] > logits[best]) best = i;
    return { token: best, logProb: logProb(best) };
  }
  for (let i = 0; i < V; i++) p[i] /= sum;

  let candidates: number[] | null = null; // null: the whole vocabulary
  if ((opts.topK > 0 && opts.topK < V) || opts.topP < 1) {
    const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => p[b] - p[a]);
    let n = opts.topK > 0 ? Math.min(opts.topK, V) : V;
    if (opts.topP < 1) {
      // Renormalise over the top-k first (HF applies top-k, then top-p on what is left).
      let kept = 0;
      for (let i = 0; i < n; i++) kept += p[order[i]];
      let cum = 0;
      let m = 0;
      while (m < n) {
        cum += p[order[m]] / kept;
        m++;
        if (cum >= opts.topP) break;
      }
      n = m;
    }
    candidates = order.slice(0, n);
  }
  let total = 0;
  if (candidates) for (const i of candidates) total += p[i];
  else total = 1;
  let r = rng() * total;
  const pool = candidates ?? null;
  const count = pool ? pool.length : V;
  let choice = pool ? pool[count - 1] : V - 1;
  for (let j = 0; j < count; j++) {
    const i = pool ? pool[j] : j;
    r -= p[i];
    if (r < 0) {
      choice = i;
      break;
    }
  }
  return { token: choice, logProb: logProb(choice) };
}

/**
 * Samples continuations for a batch of prompts (token ids) with the KV cache. Each new token's
 * logits come back in one asynchronous read per step (the only way off a GPU in Node); on wasm
 * and native TensorFlow the tokens after the prompt are decoded in JS without tensors.
 * Leaves tf.memory().numTensors as it found it.
 */
export async function sample(model: GPT, prompts: number[][], opts: SampleOptions): Promise<SampleResult> {
  const B = prompts.length;
  if (B === 0) return { tokens: [], logProbs: [], finished: [] };
  if (prompts.some((p) => p.length === 0)) throw new Error('sample: every prompt needs at least one token');
  if (!(opts.maxNewTokens >= 0)) throw new Error(`sample: maxNewTokens must be ≥ 0, got ${opts.maxNewTokens}`);
  const pick = { temperature: opts.temperature ?? 1, topK: opts.topK ?? 0, topP: opts.topP ?? 1 };
  if (pick.topP <= 0 || pick.topP > 1) throw new Error(`sample: topP must be in (0, 1], got ${pick.topP}`);
  const stop = new Set(opts.stopTokens ?? []);
  const pad = opts.padTokenId ?? 0;
  const rng = createRng(opts.seed ?? 0);
  const V = model.config.vocabSize;
  const L = Math.max(...prompts.map((p) => p.length));
  const budget = Math.min(opts.maxNewTokens, model.config.nPositions - L);
  if (L > model.config.nPositions) throw new Error(`sample: a prompt of ${L} tokens exceeds the context of ${model.config.nPositions}`);

  const tokens: number[][] = prompts.map(() => []);
  const logProbs: number[][] = prompts.map(() => []);
  const finished = prompts.map(() => false);
  if (budget <= 0) return { tokens, logProbs, finished };

  const cache = model.createCache(B);
  try {
    // Prompt: left-padded [B, L] in one cached forward; keep the last column's logits.
    const ids = new Int32Array(B * L).fill(pad);
    const mask = prompts.map((p) => [...new Array<number>(L - p.length).fill(0), ...new Array<number>(p.length).fill(1)]);
    prompts.forEach((p, b) => ids.set(p, b * L + L - p.length));
    const prompt = tf.tidy(() => {
      const logits = model.forwardCached(tf.tensor2d(ids, [B, L], 'int32'), cache, { mask });
      return tf.reshape(tf.slice(logits, [0, L - 1, 0], [B, 1, V]), [B, V]);
    });
    let all = await readLogits(prompt); // [B, V]
    // On wasm and native TensorFlow each new token goes through the JS decoding path without any
    // tensor (model.decodeRows); elsewhere through forwardCached.
    const inJs = model.decodesInJs();
    for (let step = 0; step < budget; step++) {
      const next = new Int32Array(B).fill(pad);
      const nextMask = new Array<number[]>(B);
      for (let b = 0; b < B; b++) {
        nextMask[b] = [0];
        if (finished[b]) continue;
        const { token, logProb } = pickToken(all.subarray(b * V, (b + 1) * V), pick, rng);
        tokens[b].push(token);
        logProbs[b].push(logProb);
        if (stop.has(token)) finished[b] = true;
        next[b] = token;
        nextMask[b] = [1];
      }
      if (step === budget - 1 || finished.every(Boolean)) break;
      // Finished rows feed padding (mask 0) so the batch keeps one shape.
      if (inJs) {
        all = model.decodeRows(next, nextMask, cache);
        continue;
      }
      const last = tf.tidy(() => tf.reshape(model.forwardCached(tf.tensor2d(next, [B, 1], 'int32'), cache, { mask: nextMask }), [B, V]));
      all = await readLogits(last);
    }
  } finally {
    cache.dispose();
  }
  return { tokens, logProbs, finished };
}

/** One read of a [B, V] logits tensor, which is then disposed. */
async function readLogits(t: tf.Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}
