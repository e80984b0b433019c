// Losses and small pure helpers shared by the SFT, reward-model and PPO trainers.
//
// Everything that takes part in a gradient is a tf op; the sequential or bookkeeping parts
// (GAE's reversed scan, pair enumeration, the KL controller) run on plain numbers.
// Formulas follow InstructGPT (Ouyang et al. 2022), Ziegler et al. 2019 and TRL's PPO trainer
// ("The N Implementation Details of RLHF with PPO"); each function says which.
//
// Shapes: B batch, T tokens, V vocabulary, N completions, P preference pairs.
import * as tf from '@tensorflow/tfjs-core';
import { useNativeKernels } from './ops/mode';
import { nativeLabelLogprobs } from './ops/native';

// ---------------------------------------------------------------------------------------------
// Masked statistics
// ---------------------------------------------------------------------------------------------

/** Mean of `x` over the positions where `mask` is 1 (optionally along `axis`). */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor, axis?: number): tf.Tensor {
  return tf.tidy(() => {
    const m = tf.cast(mask, 'float32');
    if (axis === undefined) return tf.div(tf.sum(tf.mul(x, m)), tf.maximum(tf.sum(m), 1e-8)); // []
    return tf.div(tf.sum(tf.mul(x, m), axis), tf.maximum(tf.sum(m, axis), 1e-8));
  });
}

/**
 * Variance of `x` over the masked positions. Unbiased (Bessel's correction, as TRL's
 * `masked_var`) unless `unbiased` is false; with fewer than two positions the biased value
 * is returned instead of dividing by zero.
 */
export function maskedVar(x: tf.Tensor, mask: tf.Tensor, unbiased = true): tf.Scalar {
  return tf.tidy(() => {
    const m = tf.cast(mask, 'float32');
    const mean = maskedMean(x, m);
    const variance = maskedMean(tf.square(tf.sub(x, mean)), m) as tf.Scalar; // []
    if (!unbiased) return variance;
    // Bessel's factor n/(n − 1) on the device (no read): 1 when n < 2.
    const count = tf.sum(m);
    const factor = tf.where(tf.greaterEqual(count, 2), tf.div(count, tf.maximum(tf.sub(count, 1), 1)), tf.onesLike(count));
    return tf.mul(variance, factor) as tf.Scalar;
  });
}

/**
 * Whitening over masked positions: (x − mean)/√(var + 1e-8). With `shiftMean` false the mean
 * is added back (TRL's `masked_whiten(..., shift_mean=False)`, used for rewards).
 */
export function whiten(x: tf.Tensor, mask: tf.Tensor, shiftMean = true): tf.Tensor {
  return tf.tidy(() => {
    const mean = maskedMean(x, mask);
    const variance = maskedVar(x, mask);
    let out = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-8)));
    if (!shiftMean) out = tf.add(out, mean);
    return tf.mul(out, tf.cast(mask, 'float32')); // zero outside the mask
  });
}

// ---------------------------------------------------------------------------------------------
// Token log-probabilities and entropy
// ---------------------------------------------------------------------------------------------

/**
 * log p(label) under softmax(logits / temperature).                  logits [B, T, V] → [B, T]
 * The gather is a one-hot product because the WebAssembly backend has no gather gradient;
 * `temperature` must be the sampling temperature (TRL divides logits by it before scoring, or
 * the ratio π/π_old is taken between two different distributions).
 */
export function logprobsFromLogits(logits: tf.Tensor3D, labels: tf.Tensor2D, temperature = 1): tf.Tensor2D {
  return tf.tidy(() => {
    if (useNativeKernels()) {
      // TensorFlow's fused softmax cross-entropy: no [B, T, V] log-softmax or one-hot.
      const [B, T, V] = logits.shape;
      const lp = nativeLabelLogprobs(tf.reshape(logits, [B * T, V]), tf.reshape(labels, [B * T]), temperature); // [B·T]
      return tf.reshape(lp, [B, T]) as tf.Tensor2D;
    }
    const scaled = temperature === 1 ? logits : tf.div(logits, temperature);
    const logp = tf.logSoftmax(scaled); // [B, T, V]
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[2]); // [B, T, V]
    return tf.sum(tf.mul(logp, onehot), -1) as tf.Tensor2D; // [B, T]
  });
}

/** Entropy of softmax(logits / temperature): logsumexp(l) − Σ softmax(l)·l.   [B, T, V] → [B, T] */
export function entropyFromLogits(logits: tf.Tensor3D, temperature = 1): tf.Tensor2D {
  return tf.tidy(() => {
    const l = temperature === 1 ? logits : tf.div(logits, temperature);
    const lse = tf.logSumExp(l, -1); // [B, T]
    const p = tf.softmax(l); // [B, T, V]
    return tf.sub(lse, tf.sum(tf.mul(p, l), -1)) as tf.Tensor2D; // [B, T]
  });
}

/**
 * Next-token negative log-likelihood summed over masked targets, divided by `normalizer`
 * (the number of target tokens in the whole optimizer batch, so that micro-batches add up to
 * a token-level mean).                                      logits [B, T, V], targets/mask [B, T]
 */
export function maskedNll(
  logits: tf.Tensor3D,
  targets: tf.Tensor2D,
  mask: tf.Tensor2D,
  normalizer: number,
): tf.Scalar {
  return tf.tidy(() => {
    const lp = logprobsFromLogits(logits, targets); // [B, T]
    return tf.div(tf.neg(tf.sum(tf.mul(lp, tf.cast(mask, 'float32')))), Math.max(normalizer, 1)) as tf.Scalar;
  });
}

// ---------------------------------------------------------------------------------------------
// Reward model: K-wise ranking → pairwise loss (InstructGPT eq. 1)
// ---------------------------------------------------------------------------------------------

/**
 * All (winner, loser) pairs of one ranking. `tiers` lists completion indices, best tier
 * first; completions in the same tier are tied and give no pair.
 */
export function rankingPairs(tiers: number[][]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < tiers.length; i++)
    for (let j = i + 1; j < tiers.length; j++)
      for (const w of tiers[i]) for (const l of tiers[j]) pairs.push([w, l]);
  return pairs;
}

/** One ranking within a batch: its completions' rewards sit at rewards[start + index]; weight
 *  its share in the mean (default 1; edit pairs carry the project's editPairWeight). */
export type RankingSlice = { start: number; tiers: number[][]; weight?: number };

/**
 * Pairwise ranking loss of InstructGPT:
 *   loss = −1/Σw · Σ_rankings w · 1/#pairs · Σ_(w,l) log σ(r_w − r_l)
 * where #pairs = C(K, 2) for a ranking of K completions without ties (ties give no pair) and w
 * the ranking's weight (1 unless given: then it is the plain mean over rankings).
 * Each completion is forwarded once; `rewards` holds all completions of the batch.   [N] → []
 * The pair differences are a [P, N] ±1 matrix times the rewards (no gather gradient needed).
 */
export function rankingLoss(rewards: tf.Tensor1D, rankings: RankingSlice[]): tf.Scalar {
  const n = rewards.shape[0];
  const design = pairDesign(n, rankings, 'rankingLoss');
  return tf.tidy(() => {
    const { d, weights } = designTensors(design, n);
    const diff = tf.reshape(tf.matMul(d, tf.reshape(rewards, [n, 1])), [weights.shape[0]]); // [P]
    // log σ(d) = −softplus(−d). Not tf.logSigmoid: its custom gradient keeps a reference to an
    // intermediate that this tidy disposes, which breaks the backward pass.
    const logSig = tf.neg(tf.softplus(tf.neg(diff))); // [P]
    return tf.neg(tf.sum(tf.mul(logSig, weights))) as tf.Scalar;
  });
}

/**
 * The pairs of a batch as a [P, N] matrix (+1 at the winner, −1 at the loser, so D·x gives
 * x_w − x_l per pair) and each pair's share of the loss: w/#pairs/Σw (a weighted mean over the
 * rankings that have a pair, a plain mean over each ranking's pairs). Throws when no ranking
 * has a pair (plain arrays, checked before any tensor exists; designTensors makes them tensors).
 */
type PairDesign = { rows: number[]; weights: number[] };
function pairDesign(n: number, rankings: RankingSlice[], who: string): PairDesign {
  const rows: number[] = [];
  const weights: number[] = [];
  const used = rankings.filter((r) => rankingPairs(r.tiers).length > 0);
  if (used.length === 0) throw new Error(`${who}: no ranking in the batch has a preference pair`);
  const total = used.reduce((s, r) => s + (r.weight ?? 1), 0);
  if (!(total > 0)) throw new Error(`${who}: the rankings of the batch weigh nothing`);
  for (const r of used) {
    const pairs = rankingPairs(r.tiers);
    for (const [w, l] of pairs) {
      const row = new Array<number>(n).fill(0);
      row[r.start + w] = 1;
      row[r.start + l] = -1;
      rows.push(...row);
      weights.push((r.weight ?? 1) / pairs.length / total);
    }
  }
  return { rows, weights };
}

/** D [P, N] and the pair weights [P] of a design (call inside a tidy). */
function designTensors(p: PairDesign, n: number): { d: tf.Tensor2D; weights: tf.Tensor1D } {
  return { d: tf.tensor2d(p.rows, [p.weights.length, n]), weights: tf.tensor1d(p.weights) };
}

/** Accuracy (r_w > r_l) and mean margin r_w − r_l over all pairs of the given rankings. */
export function rankingStats(
  rewards: ArrayLike<number>,
  rankings: RankingSlice[],
): { accuracy: number; margin: number; pairs: number } {
  let correct = 0;
  let margin = 0;
  let pairs = 0;
  for (const r of rankings)
    for (const [w, l] of rankingPairs(r.tiers)) {
      const d = rewards[r.start + w] - rewards[r.start + l];
      if (d > 0) correct++;
      margin += d;
      pairs++;
    }
  return { accuracy: pairs ? correct / pairs : 0, margin: pairs ? margin / pairs : 0, pairs };
}

// ---------------------------------------------------------------------------------------------
// PPO (TRL's PPOTrainer; Schulman et al. 2017)
// ---------------------------------------------------------------------------------------------

/**
 * Generalised advantage estimation, reversed scan per row over the response tokens.
 *   δ_t = r_t + γ·V_{t+1} − V_t,   A_t = δ_t + γλ·A_{t+1},   returns = A + V
 * Positions where mask is 0 (after the end of the response) have A = 0, return = 0, and
 * contribute V = 0 to their predecessor (the episode ends at the last real token).
 * rewards, values, mask: [B][T] plain arrays (no gradient flows through GAE).
 */
export function gae(
  rewards: number[][],
  values: number[][],
  mask: number[][],
  gamma = 1,
  lambda = 0.95,
): { advantages: number[][]; returns: number[][] } {
  const advantages: number[][] = [];
  const returns: number[][] = [];
  for (let b = 0; b < rewards.length; b++) {
    const T = rewards[b].length;
    const adv = new Array<number>(T).fill(0);
    const ret = new Array<number>(T).fill(0);
    let last = 0;
    let nextValue = 0;
    for (let t = T - 1; t >= 0; t--) {
      if (!mask[b][t]) {
        last = 0;
        nextValue = 0;
        continue;
      }
      const delta = rewards[b][t] + gamma * nextValue - values[b][t];
      last = delta + gamma * lambda * last;
      adv[t] = last;
      ret[t] = last + values[b][t];
      nextValue = values[b][t];
    }
    advantages.push(adv);
    returns.push(ret);
  }
  return { advantages, returns };
}

export type PolicyLossOut = {
  loss: tf.Scalar; // masked mean of max(−A·ρ, −A·clip(ρ, 1−ε, 1+ε))
  clipfrac: tf.Scalar; // fraction of tokens where the clipped term was chosen
  approxKl: tf.Scalar; // ½·mean((log π − log π_old)²)
  ratioMean: tf.Scalar; // mean ρ
};

/**
 * Clipped surrogate policy loss.                 logprobs, oldLogprobs, advantages, mask [B, T]
 * ρ = exp(log π − log π_old); loss = mean_mask max(−A·ρ, −A·clip(ρ, 1 − ε, 1 + ε)).
 */
export function ppoPolicyLoss(
  logprobs: tf.Tensor2D,
  oldLogprobs: tf.Tensor2D,
  advantages: tf.Tensor2D,
  mask: tf.Tensor2D,
  clipRange = 0.2,
): PolicyLossOut {
  return tf.tidy(() => {
    const diff = tf.sub(logprobs, oldLogprobs); // [B, T]
    const ratio = tf.exp(diff);
    const l1 = tf.mul(tf.neg(advantages), ratio);
    const l2 = tf.mul(tf.neg(advantages), tf.clipByValue(ratio, 1 - clipRange, 1 + clipRange));
    return {
      loss: maskedMean(tf.maximum(l1, l2), mask) as tf.Scalar,
      clipfrac: maskedMean(tf.cast(tf.greater(l2, l1), 'float32'), mask) as tf.Scalar,
      approxKl: tf.mul(maskedMean(tf.square(diff), mask), 0.5) as tf.Scalar,
      ratioMean: maskedMean(ratio, mask) as tf.Scalar,
    };
  });
}

export type ValueLossOut = { loss: tf.Scalar; clipfrac: tf.Scalar };

/**
 * Clipped value loss.                                         vpred, oldValues, returns, mask [B, T]
 * v_clip = clip(v, v_old − ε_v, v_old + ε_v); loss = ½·mean_mask max((v − R)², (v_clip − R)²).
 */
export function ppoValueLoss(
  vpred: tf.Tensor2D,
  oldValues: tf.Tensor2D,
  returns: tf.Tensor2D,
  mask: tf.Tensor2D,
  clipRangeValue = 0.2,
): ValueLossOut {
  return tf.tidy(() => {
    const vclip = tf.minimum(tf.maximum(vpred, tf.sub(oldValues, clipRangeValue)), tf.add(oldValues, clipRangeValue));
    const l1 = tf.square(tf.sub(vpred, returns));
    const l2 = tf.square(tf.sub(vclip, returns));
    return {
      loss: tf.mul(maskedMean(tf.maximum(l1, l2), mask), 0.5) as tf.Scalar,
      clipfrac: maskedMean(tf.cast(tf.greater(l2, l1), 'float32'), mask) as tf.Scalar,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// KL terms (http://joschu.net/blog/kl-approx.html)
// ---------------------------------------------------------------------------------------------

/** Per-token KL estimate k1 = log π − log π_ref, the one that enters the reward. */
export function klK1(logprob: number, refLogprob: number): number {
  return logprob - refLogprob;
}

/** Per-token k3 = (r − 1) − log r with r = π_ref/π: unbiased, always ≥ 0 (for logging). */
export function klK3(logprob: number, refLogprob: number): number {
  const logr = refLogprob - logprob;
  return Math.exp(logr) - 1 - logr;
}

/**
 * Per-token PPO rewards (Ziegler et al.; InstructGPT): −β·(log π − log π_ref) on every response
 * token, plus the sequence score at the last real token. Rows: [B][T]; lastIndex[b] is the
 * index of the last real response token of row b (−1 for an empty response: no reward).
 */
export function perTokenRewards(
  logprobs: number[][],
  refLogprobs: number[][],
  mask: number[][],
  scores: number[],
  lastIndex: number[],
  klCoef: number,
): { rewards: number[][]; kl: number[][] } {
  const rewards: number[][] = [];
  const kl: number[][] = [];
  for (let b = 0; b < logprobs.length; b++) {
    const k = logprobs[b].map((lp, t) => (mask[b][t] ? klK1(lp, refLogprobs[b][t]) : 0));
    const r = k.map((v) => -klCoef * v);
    if (lastIndex[b] >= 0) r[lastIndex[b]] += scores[b];
    rewards.push(r);
    kl.push(k);
  }
  return { rewards, kl };
}

/**
 * Adaptive KL controller of Ziegler et al. (2019), §2.2:
 *   e = clip(KL/target − 1, −0.2, 0.2);  β ← β·(1 + e·n_steps/horizon)
 * where KL is the current per-sequence KL and n_steps the number of samples in the update.
 */
export class AdaptiveKLController {
  value: number;
  constructor(
    initKlCoef: number,
    readonly target: number,
    readonly horizon: number,
  ) {
    this.value = initKlCoef;
  }
  update(currentKl: number, nSteps: number): void {
    const e = Math.min(0.2, Math.max(-0.2, currentKl / this.target - 1));
    this.value *= 1 + (e * nSteps) / this.horizon;
  }
}

/** β that never changes (the controller to use when no KL target is set). */
export class FixedKLController {
  constructor(public value: number) {}
  update(): void {}
}

// ---------------------------------------------------------------------------------------------
// Guards
// ---------------------------------------------------------------------------------------------

/** Throws an error naming the step and the first metric that is NaN or infinite. */
export function assertFiniteMetrics(step: number, metrics: Record<string, number>): void {
  for (const [name, value] of Object.entries(metrics))
    if (!Number.isFinite(value)) throw new Error(`non-finite ${name} (${value}) at step ${step}`);
}

// ---------------------------------------------------------------------------------------------
// DPO (Rafailov et al. 2023), with cDPO's label smoothing and IPO (Azar et al. 2023), as TRL's
// DPOTrainer computes them. The pairs are the reward model's: every non-tied pair of a ranking,
// the ranking one batch element whose loss is the mean over its pairs (rankingLoss's convention).
// ---------------------------------------------------------------------------------------------

export type DpoLossSettings = { beta: number; lossType: 'sigmoid' | 'ipo'; labelSmoothing: number };

/**
 * DPO loss of a batch of rankings.                       policyLogps [N] → [],  N = completions
 * policyLogps: Σ log π(reply tokens | context) per completion (the gradient flows here);
 * refLogps: the same under the frozen reference (precomputed numbers); replyTokens: the reply
 * tokens each sum covers (IPO only). Per pair (w, l):
 *   Δ = (π_w − π_l) − (ref_w − ref_l)                        (TRL: chosen − rejected log-ratios)
 *   sigmoid: −(1 − ε)·log σ(βΔ) − ε·log σ(−βΔ)                (ε = labelSmoothing; cDPO when ε > 0)
 *   ipo:     (Δ̄ − 1/(2β))²  with Δ̄ built from per-token average log-ratios (π_i − ref_i)/len_i,
 *            as TRL does ("normalize by the number of completion tokens", confirmed with the IPO
 *            authors); label smoothing does not apply.
 * loss = Σ_rankings w/Σw · 1/#pairs · Σ_pairs loss_pair.
 */
export function dpoLoss(
  policyLogps: tf.Tensor1D,
  refLogps: ArrayLike<number>,
  rankings: RankingSlice[],
  s: DpoLossSettings,
  replyTokens?: ArrayLike<number>,
): tf.Scalar {
  const n = policyLogps.shape[0];
  if (refLogps.length !== n) throw new Error(`dpoLoss: ${refLogps.length} reference log-probs for ${n} completions`);
  if (!(s.beta > 0)) throw new Error(`dpoLoss: β must be above 0, got ${s.beta}`);
  const ipo = s.lossType === 'ipo';
  if (ipo && (!replyTokens || replyTokens.length !== n)) throw new Error('dpoLoss: IPO needs the reply token count of every completion');
  const design = pairDesign(n, rankings, 'dpoLoss');
  return tf.tidy(() => {
    const { d, weights } = designTensors(design, n);
    let scores: tf.Tensor1D = tf.sub(policyLogps, tf.tensor1d(Array.from(refLogps))); // [N] log π/π_ref
    if (ipo) scores = tf.div(scores, tf.tensor1d(Array.from(replyTokens!, (t) => Math.max(t, 1)))); // [N] per token
    const delta = tf.reshape(tf.matMul(d, tf.reshape(scores, [n, 1])), [weights.shape[0]]); // [P]
    let perPair: tf.Tensor; // [P]
    if (ipo) perPair = tf.square(tf.sub(delta, 1 / (2 * s.beta)));
    else {
      // −log σ(z) = softplus(−z) (see rankingLoss for why not tf.logSigmoid).
      const z = tf.mul(delta, s.beta);
      perPair = tf.softplus(tf.neg(z));
      if (s.labelSmoothing > 0) perPair = tf.add(tf.mul(perPair, 1 - s.labelSmoothing), tf.mul(tf.softplus(z), s.labelSmoothing));
    }
    return tf.sum(tf.mul(perPair, weights)) as tf.Scalar;
  });
}

export type DpoStats = {
  /** Mean over pairs of β·(π_w − ref_w) and β·(π_l − ref_l): TRL's rewards/chosen, rewards/rejected. */
  chosen: number;
  rejected: number;
  /** Share of pairs whose chosen reward is above the rejected one (rewards/accuracies). */
  accuracy: number;
  /** Mean chosen − rejected reward (rewards/margins). */
  margin: number;
  /** Mean Σ log π of the chosen and the rejected completions (logps/chosen, logps/rejected). */
  logpsChosen: number;
  logpsRejected: number;
  pairs: number;
};

/** TRL's logged DPO statistics over every pair of the given rankings (plain numbers, unweighted, as TRL's per-pair means). */
export function dpoStats(policyLogps: ArrayLike<number>, refLogps: ArrayLike<number>, rankings: RankingSlice[], beta: number): DpoStats {
  const sum = { chosen: 0, rejected: 0, correct: 0, lw: 0, ll: 0, pairs: 0 };
  for (const r of rankings)
    for (const [w, l] of rankingPairs(r.tiers)) {
      const iw = r.start + w;
      const il = r.start + l;
      const rw = beta * (policyLogps[iw] - refLogps[iw]);
      const rl = beta * (policyLogps[il] - refLogps[il]);
      sum.chosen += rw;
      sum.rejected += rl;
      if (rw > rl) sum.correct++;
      sum.lw += policyLogps[iw];
      sum.ll += policyLogps[il];
      sum.pairs++;
    }
  const m = (x: number) => (sum.pairs ? x / sum.pairs : 0);
  return { chosen: m(sum.chosen), rejected: m(sum.rejected), accuracy: m(sum.correct), margin: m(sum.chosen - sum.rejected), logpsChosen: m(sum.lw), logpsRejected: m(sum.ll), pairs: sum.pairs };
}
