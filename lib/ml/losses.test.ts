// Hand-computed cases for the losses; every expected number is derived in the comment above it.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  AdaptiveKLController,
  assertFiniteMetrics,
  dpoLoss,
  dpoStats,
  entropyFromLogits,
  gae,
  klK1,
  klK3,
  logprobsFromLogits,
  maskedMean,
  maskedVar,
  perTokenRewards,
  ppoPolicyLoss,
  ppoValueLoss,
  rankingLoss,
  rankingPairs,
  rankingStats,
  whiten,
} from './losses';
import { testBackend } from './train/testkit';
import dpoTrl from './checkpoint/fixtures/dpo-trl.json';

beforeAll(testBackend);

const num = (t: tf.Tensor) => t.dataSync()[0];
const arr = (t: tf.Tensor) => Array.from(t.dataSync());

describe('masked statistics', () => {
  it('masked mean, variance and whiten ignore masked positions', () => {
    const x = tf.tensor1d([1, 2, 3, 100]);
    const m = tf.tensor1d([1, 1, 1, 0]);
    // mean(1, 2, 3) = 2
    expect(num(maskedMean(x, m))).toBeCloseTo(2, 6);
    // unbiased: ((1−2)² + 0 + (3−2)²)/(3−1) = 1; biased: 2/3
    expect(num(maskedVar(x, m))).toBeCloseTo(1, 6);
    expect(num(maskedVar(x, m, false))).toBeCloseTo(2 / 3, 6);
    // (x − 2)/√(1 + 1e-8) = −1, 0, 1; masked position → 0
    arr(whiten(x, m)).forEach((v, i) => expect(v).toBeCloseTo([-1, 0, 1, 0][i], 5));
    // shiftMean false adds the mean back: 1, 2, 3
    arr(whiten(x, m, false)).forEach((v, i) => expect(v).toBeCloseTo([1, 2, 3, 0][i], 5));
  });
});

describe('log-probs and entropy', () => {
  it('gathers the label log-prob after dividing logits by the temperature', () => {
    const logits = tf.tensor3d([[[0, Math.log(3)]]]);
    const labels = tf.tensor2d([[1]], [1, 1], 'int32');
    // softmax(0, ln 3) = (1/4, 3/4) → ln 0.75 = −0.2876821
    expect(num(logprobsFromLogits(logits, labels))).toBeCloseTo(-0.2876821, 5);
    // T = 2: p = √3/(1 + √3) → ln √3 − ln(1 + √3) = 0.5493061 − 1.0050525 = −0.4557464
    expect(num(logprobsFromLogits(logits, labels, 2))).toBeCloseTo(-0.4557464, 5);
    // H(1/4, 3/4) = 0.25·ln 4 + 0.75·ln(4/3) = 0.3465736 + 0.2157616 = 0.5623351
    expect(num(entropyFromLogits(logits))).toBeCloseTo(0.5623351, 5);
  });
});

describe('pairwise ranking loss', () => {
  it('enumerates C(K,2) pairs and none between ties', () => {
    expect(rankingPairs([[0], [1], [2]])).toEqual([[0, 1], [0, 2], [1, 2]]);
    expect(rankingPairs([[0, 1], [2]])).toEqual([[0, 2], [1, 2]]);
    expect(rankingPairs([[0, 1, 2]])).toEqual([]);
  });

  it('averages −log σ(r_w − r_l) over the pairs of each ranking, then over rankings', () => {
    // Ranking A: tiers [0] > [1] > [2], r = (2, 1, 0): differences 1, 2, 1.
    //   −log σ(1) = 0.31326169, −log σ(2) = 0.12692801 → (2·0.31326169 + 0.12692801)/3 = 0.25115046
    const rA = tf.tensor1d([2, 1, 0]);
    expect(num(rankingLoss(rA, [{ start: 0, tiers: [[0], [1], [2]] }]))).toBeCloseTo(0.25115046, 5);
    // Ranking B: tiers [0, 1] > [2], r = (1, 0, 0): pairs (0,2) d=1 and (1,2) d=0.
    //   (0.31326169 + ln 2)/2 = (0.31326169 + 0.69314718)/2 = 0.50320443
    const rB = tf.tensor1d([1, 0, 0]);
    expect(num(rankingLoss(rB, [{ start: 0, tiers: [[0, 1], [2]] }]))).toBeCloseTo(0.50320443, 5);
    // Both in one batch (B's completions at offset 3): (0.25115046 + 0.50320443)/2 = 0.37717745
    const both = tf.tensor1d([2, 1, 0, 1, 0, 0]);
    const loss = rankingLoss(both, [
      { start: 0, tiers: [[0], [1], [2]] },
      { start: 3, tiers: [[0, 1], [2]] },
    ]);
    expect(num(loss)).toBeCloseTo(0.37717745, 5);
  });

  it('weights rankings in the mean: Σ w·L / Σ w (edit pairs at the project weight)', () => {
    // A as above (L_A = 0.25115046, weight 1) and an edit pair [0] > [1] with r = (0, 1), d = −1:
    //   L_E = −log σ(−1) = 1.31326169, weight 3 → (1·0.25115046 + 3·1.31326169)/4 = 1.04773388
    const r = tf.tensor1d([2, 1, 0, 0, 1]);
    const loss = rankingLoss(r, [
      { start: 0, tiers: [[0], [1], [2]] },
      { start: 3, tiers: [[0], [1]], weight: 3 },
    ]);
    expect(num(loss)).toBeCloseTo(1.04773388, 5);
    // weight 1 everywhere is the plain mean: (0.25115046 + 1.31326169)/2 = 0.78220608
    expect(num(rankingLoss(r, [{ start: 0, tiers: [[0], [1], [2]] }, { start: 3, tiers: [[0], [1]], weight: 1 }]))).toBeCloseTo(0.78220608, 5);
  });

  it('pushes the winner up with gradient −σ(−d)/#pairs per pair', () => {
    // d loss/d r0 for ranking A = −(σ(−1) + σ(−2))/3 = −(0.26894142 + 0.11920292)/3 = −0.12938145
    // d loss/d r2 = +(σ(−2) + σ(−1))/3 = 0.12938145; d/d r1 = (σ(−1) − σ(−1))/3 = 0
    const g = tf.grad((r: tf.Tensor) => rankingLoss(r as tf.Tensor1D, [{ start: 0, tiers: [[0], [1], [2]] }]))(
      tf.tensor1d([2, 1, 0]),
    );
    arr(g).forEach((v, i) => expect(v).toBeCloseTo([-0.12938145, 0, 0.12938145][i], 5));
  });

  it('reports accuracy and mean margin', () => {
    // pairs of A with r = (2, 0, 1): (0,1) +2 ✓, (0,2) +1 ✓, (1,2) −1 ✗ → acc 2/3, margin 2/3
    const s = rankingStats([2, 0, 1], [{ start: 0, tiers: [[0], [1], [2]] }]);
    expect(s.pairs).toBe(3);
    expect(s.accuracy).toBeCloseTo(2 / 3, 6);
    expect(s.margin).toBeCloseTo(2 / 3, 6);
  });
});

describe('GAE', () => {
  it('γ=1, λ=0.95 with the score at the last token', () => {
    // r = (0, 0, 1), V = 0.5 everywhere.
    // t=2: δ = 1 + 0 − 0.5 = 0.5 → A = 0.5, R = 1
    // t=1: δ = 0 + 0.5 − 0.5 = 0 → A = 0.95·0.5 = 0.475, R = 0.975
    // t=0: δ = 0 → A = 0.95·0.475 = 0.45125, R = 0.95125
    const { advantages, returns } = gae([[0, 0, 1]], [[0.5, 0.5, 0.5]], [[1, 1, 1]]);
    advantages[0].forEach((v, i) => expect(v).toBeCloseTo([0.45125, 0.475, 0.5][i], 9));
    returns[0].forEach((v, i) => expect(v).toBeCloseTo([0.95125, 0.975, 1][i], 9));
  });

  it('stops at the last real token (γ=0.9, λ=0.5, masked tail)', () => {
    // r = (0.1, −0.2, 2, 9), V = (1, 2, 3, 7), mask (1, 1, 1, 0): t=3 is ignored.
    // t=2: δ = 2 + 0.9·0 − 3 = −1 → A = −1, R = 2
    // t=1: δ = −0.2 + 0.9·3 − 2 = 0.5 → A = 0.5 + 0.45·(−1) = 0.05, R = 2.05
    // t=0: δ = 0.1 + 0.9·2 − 1 = 0.9 → A = 0.9 + 0.45·0.05 = 0.9225, R = 1.9225
    const { advantages, returns } = gae([[0.1, -0.2, 2, 9]], [[1, 2, 3, 7]], [[1, 1, 1, 0]], 0.9, 0.5);
    advantages[0].forEach((v, i) => expect(v).toBeCloseTo([0.9225, 0.05, -1, 0][i], 9));
    returns[0].forEach((v, i) => expect(v).toBeCloseTo([1.9225, 2.05, 2, 0][i], 9));
  });
});

describe('clipped PPO losses', () => {
  it('policy loss, clip fraction, approx-KL and ratio', () => {
    // ρ = (1.5, 0.5, 1.1, 1), A = (1, −1, 2, 5), mask (1, 1, 1, 0), ε = 0.2
    // tok0: −A·ρ = −1.5, −A·clip = −1.2 → −1.2 (clipped)
    // tok1: −A·ρ = 0.5,  −A·clip = 0.8  → 0.8 (clipped)
    // tok2: −A·ρ = −2.2, −A·clip = −2.2 → −2.2 (not clipped)
    // loss = (−1.2 + 0.8 − 2.2)/3 = −0.8666667, clipfrac = 2/3
    // approx-KL = ½·(ln²1.5 + ln²0.5 + ln²1.1)/3 = ½·(0.1644020 + 0.4804530 + 0.0090840)/3 = 0.1089898
    // ratio mean = (1.5 + 0.5 + 1.1)/3 = 1.0333333
    const lp = tf.tensor2d([[Math.log(1.5), Math.log(0.5), Math.log(1.1), 0]]);
    const old = tf.zeros([1, 4]) as tf.Tensor2D;
    const adv = tf.tensor2d([[1, -1, 2, 5]]);
    const mask = tf.tensor2d([[1, 1, 1, 0]]);
    const out = ppoPolicyLoss(lp, old, adv, mask, 0.2);
    expect(num(out.loss)).toBeCloseTo(-0.8666667, 5);
    expect(num(out.clipfrac)).toBeCloseTo(2 / 3, 5);
    expect(num(out.approxKl)).toBeCloseTo(0.1089898, 5);
    expect(num(out.ratioMean)).toBeCloseTo(1.0333333, 5);
  });

  it('clipped ratio gives no gradient, unclipped gives −A·ρ/n', () => {
    // d loss/d logπ: tok0 and tok1 are clipped → 0; tok2: −A·ρ/3 = −2·1.1/3 = −0.7333333
    const adv = tf.tensor2d([[1, -1, 2]]);
    const mask = tf.tensor2d([[1, 1, 1]]);
    const old = tf.zeros([1, 3]) as tf.Tensor2D;
    const g = tf.grad((lp: tf.Tensor) => ppoPolicyLoss(lp as tf.Tensor2D, old, adv, mask).loss)(
      tf.tensor2d([[Math.log(1.5), Math.log(0.5), Math.log(1.1)]]),
    );
    arr(g).forEach((v, i) => expect(v).toBeCloseTo([0, 0, -0.7333333][i], 5));
  });

  it('value loss takes the worse of the clipped and unclipped errors', () => {
    // v = (1, 0, 2), v_old = (0.5, 0.5, 2.1), R = (1, 1, 0), ε_v = 0.2
    // tok0: clip → 0.7: (1−1)² = 0 vs (0.7−1)² = 0.09 → 0.09 (clipped)
    // tok1: clip → 0.3: (0−1)² = 1 vs (0.3−1)² = 0.49 → 1
    // tok2: clip → 2.0: 4 vs 4 → 4
    // loss = ½·(0.09 + 1 + 4)/3 = 0.8483333, clipfrac = 1/3
    const out = ppoValueLoss(
      tf.tensor2d([[1, 0, 2]]),
      tf.tensor2d([[0.5, 0.5, 2.1]]),
      tf.tensor2d([[1, 1, 0]]),
      tf.tensor2d([[1, 1, 1]]),
      0.2,
    );
    expect(num(out.loss)).toBeCloseTo(0.8483333, 5);
    expect(num(out.clipfrac)).toBeCloseTo(1 / 3, 5);
  });
});

describe('KL terms', () => {
  it('k1 and k3 estimates', () => {
    // log π = −1, log π_ref = −2: k1 = 1; k3 = e^{−1} − 1 − (−1) = 0.36787944
    expect(klK1(-1, -2)).toBeCloseTo(1, 9);
    expect(klK3(-1, -2)).toBeCloseTo(0.36787944, 7);
    expect(klK3(-1, -1)).toBe(0);
  });

  it('per-token reward is −β·KL plus the score at the last real token', () => {
    // KL = (−1 − (−2), 0, masked) = (1, 0, 0); β = 0.1 → (−0.1, 0, 0); score 3 at t=1 → (−0.1, 3, 0)
    const { rewards, kl } = perTokenRewards([[-1, -0.5, -3]], [[-2, -0.5, -1]], [[1, 1, 0]], [3], [1], 0.1);
    rewards[0].forEach((v, i) => expect(v).toBeCloseTo([-0.1, 3, 0][i], 9));
    expect(kl[0]).toEqual([1, 0, 0]);
  });

  it('adaptive controller moves β by at most 0.2·n/horizon per update', () => {
    // KL 9 vs target 6: e = clip(0.5) = 0.2 → β = 0.2·(1 + 0.2·256/10000) = 0.201024
    const up = new AdaptiveKLController(0.2, 6, 10000);
    up.update(9, 256);
    expect(up.value).toBeCloseTo(0.201024, 9);
    // KL 3: e = clip(−0.5) = −0.2 → β = 0.2·(1 − 0.00512) = 0.198976
    const down = new AdaptiveKLController(0.2, 6, 10000);
    down.update(3, 256);
    expect(down.value).toBeCloseTo(0.198976, 9);
    // KL 6.6: e = 0.1 → β = 0.2·(1 + 0.1·100/1000) = 0.202
    const mid = new AdaptiveKLController(0.2, 6, 1000);
    mid.update(6.6, 100);
    expect(mid.value).toBeCloseTo(0.202, 9);
  });
});

describe('guards', () => {
  it('names the step and the metric that is not finite', () => {
    expect(() => assertFiniteMetrics(7, { loss: 1, kl: NaN })).toThrow(/kl.*step 7/);
    expect(() => assertFiniteMetrics(3, { loss: Infinity })).toThrow(/loss.*step 3/);
    expect(() => assertFiniteMetrics(1, { loss: 0.5 })).not.toThrow();
  });
});

describe('DPO loss', () => {
  const pair = [{ start: 0, tiers: [[0], [1]] }];
  const sigmoid = (beta: number, labelSmoothing = 0) => ({ beta, lossType: 'sigmoid' as const, labelSmoothing });

  it('sigmoid, cDPO and IPO on one pair, with TRL’s rewards', () => {
    // π = [−2, −5], π_ref = [−3, −4]: log-ratios 1 and −1, Δ = 2; β = 0.5 → βΔ = 1.
    const policy = tf.tensor1d([-2, -5]);
    const ref = [-3, -4];
    // −log σ(1) = log(1 + e^−1) = 0.31326169
    expect(num(dpoLoss(policy, ref, pair, sigmoid(0.5)))).toBeCloseTo(0.31326169, 6);
    // cDPO ε = 0.2: 0.8·log(1 + e^−1) + 0.2·log(1 + e) = 0.31326169 + 0.2·1 = 0.51326169
    expect(num(dpoLoss(policy, ref, pair, sigmoid(0.5, 0.2)))).toBeCloseTo(0.51326169, 6);
    // IPO, reply lengths 2 and 4: per-token log-ratios 1/2 and −1/4, Δ̄ = 0.75; (0.75 − 1/(2·0.5))² = 0.0625
    expect(num(dpoLoss(policy, ref, pair, { beta: 0.5, lossType: 'ipo', labelSmoothing: 0 }, [2, 4]))).toBeCloseTo(0.0625, 6);
    // rewards β·(π − π_ref): chosen 0.5, rejected −0.5; margin 1; the pair is ordered right
    expect(dpoStats([-2, -5], ref, pair, 0.5)).toEqual({ chosen: 0.5, rejected: -0.5, accuracy: 1, margin: 1, logpsChosen: -2, logpsRejected: -5, pairs: 1 });
  });

  it('a ranking is one element: the mean over its non-tied pairs; ties give none; weights weigh rankings', () => {
    // K = 3, tiers [[0], [1, 2]]: pairs (0,1) and (0,2) only. Log-ratios [0, −1, −2] → Δ = 1 and 2 (β = 1).
    const policy = tf.tensor1d([-1, -2, -3]);
    const tie = [{ start: 0, tiers: [[0], [1, 2]] }];
    // (log(1 + e^−1) + log(1 + e^−2))/2 = (0.31326169 + 0.12692801)/2 = 0.22009485
    expect(num(dpoLoss(policy, [-1, -1, -1], tie, sigmoid(1)))).toBeCloseTo(0.22009485, 6);
    expect(dpoStats([-1, -2, -3], [-1, -1, -1], tie, 1)).toEqual({ chosen: 0, rejected: -1.5, accuracy: 1, margin: 1.5, logpsChosen: -1, logpsRejected: -2.5, pairs: 2 });
    expect(() => dpoLoss(policy, [-1, -1, -1], [{ start: 0, tiers: [[0, 1, 2]] }], sigmoid(1))).toThrow(/no ranking in the batch has a preference pair/);
    // The one-pair ranking above (β = 1: log(1 + e^−2) = 0.12692801) with weight 1, this one with weight 3:
    // (1·0.12692801 + 3·0.22009485)/4 = 0.19680314
    const both = tf.tensor1d([-2, -5, -1, -2, -3]);
    const rankings = [
      { start: 0, tiers: [[0], [1]] },
      { start: 2, tiers: [[0], [1, 2]], weight: 3 },
    ];
    expect(num(dpoLoss(both, [-3, -4, -1, -1, -1], rankings, sigmoid(1)))).toBeCloseTo(0.19680314, 6);
  });

  it('its gradient is −β·σ(−βΔ) on the chosen log-prob and the opposite on the rejected', () => {
    // β = 0.5, Δ = 2: −0.5·σ(−1) = −0.13447071
    const g = tf.grad((p: tf.Tensor) => dpoLoss(p as tf.Tensor1D, [-3, -4], pair, sigmoid(0.5)))(tf.tensor1d([-2, -5]));
    const [gw, gl] = arr(g);
    expect(gw).toBeCloseTo(-0.13447071, 6);
    expect(gl).toBeCloseTo(0.13447071, 6);
  });

  it('refuses β ≤ 0, a reference of another length, and IPO without reply lengths', () => {
    const policy = tf.tensor1d([-2, -5]);
    expect(() => dpoLoss(policy, [-3, -4], pair, sigmoid(0))).toThrow(/β must be above 0/);
    expect(() => dpoLoss(policy, [-3], pair, sigmoid(0.1))).toThrow(/1 reference log-probs for 2 completions/);
    expect(() => dpoLoss(policy, [-3, -4], pair, { beta: 0.1, lossType: 'ipo', labelSmoothing: 0 })).toThrow(/IPO needs/);
  });

  // lib/ml/checkpoint/fixtures/make_dpo_fixture.py: TRL 1.13's DPOTrainer._compute_loss on fixed
  // log-probs (cDPO through TRL's "aot" loss on single pairs, equal to the pre-1.0 "sigmoid" with
  // label_smoothing). Each pair is a ranking of two; values within 1e-6 (relative above 1).
  describe.each(dpoTrl.cases.map((c) => [`${c.source} ${c.lossType} β=${c.beta} ε=${c.labelSmoothing}`, c] as const))('matches TRL: %s', (_, c) => {
    const pairs = dpoTrl.pairs;
    const policy = pairs.flatMap((p) => [p.chosen, p.rejected]);
    const ref = pairs.flatMap((p) => [p.refChosen, p.refRejected]);
    const lengths = pairs.flatMap((p) => [p.chosenTokens, p.rejectedTokens]);
    const rankings = pairs.map((_, i) => ({ start: 2 * i, tiers: [[0], [1]] }));
    const close = (ours: number, theirs: number, what: string) => expect(Math.abs(ours - theirs) / Math.max(1, Math.abs(theirs)), `${what}: ours ${ours}, TRL ${theirs}`).toBeLessThan(1e-6);

    it('loss', () => {
      const settings = { beta: c.beta, lossType: c.lossType as 'sigmoid' | 'ipo', labelSmoothing: c.labelSmoothing };
      close(num(dpoLoss(tf.tensor1d(policy), ref, rankings, settings, lengths)), c.loss, 'loss');
    });

    it('rewards and log-probs', () => {
      const s = dpoStats(policy, ref, rankings, c.beta);
      const m = c.metrics;
      close(s.chosen, m['rewards/chosen'], 'rewards/chosen');
      close(s.rejected, m['rewards/rejected'], 'rewards/rejected');
      close(s.accuracy, m['rewards/accuracies'], 'rewards/accuracies');
      close(s.margin, m['rewards/margins'], 'rewards/margins');
      close(s.logpsChosen, m['logps/chosen'], 'logps/chosen');
      close(s.logpsRejected, m['logps/rejected'], 'logps/rejected');
    });
  });
});
