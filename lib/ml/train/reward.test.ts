import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createTokenizer } from '../tokenizer';
import { RewardModel } from '../heads';
import type { RankingExample } from '../data/schemas';
import { createRewardStep, encodeRankings, evaluateRewardModel, trainRewardModel } from './reward';
import { nano, randomText, rng, testBackend, unchanged, weightsOf } from './testkit';

const tok = createTokenizer('byte');

/** K completions of random letters; those containing "good" form the top tier (ties inside tiers). */
function separable(n: number, seed: number): RankingExample[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const K = 3 + (i % 2);
    const completions: string[] = [];
    const good: number[] = [];
    const bad: number[] = [];
    for (let k = 0; k < K; k++) {
      const isGood = k === 0 || r() < 0.3;
      const body = randomText(r, 6 + Math.floor(r() * 6), 'bcdefhijk ');
      completions.push(isGood ? `${body.slice(0, 3)}good${body.slice(3)}` : body);
      (isGood ? good : bad).push(k);
    }
    if (bad.length === 0) {
      completions[K - 1] = randomText(r, 8, 'bcdefhijk ');
      good.pop();
      bad.push(K - 1);
    }
    // Shuffle completion order so position carries no signal.
    const order = [...completions.keys()].sort(() => r() - 0.5);
    const inv = new Map(order.map((k, j) => [k, j]));
    return {
      context: [{ role: 'user', content: randomText(r, 5) }],
      completions: order.map((k) => completions[k]),
      tiers: [good.map((k) => inv.get(k)!), bad.map((k) => inv.get(k)!)],
    };
  });
}

beforeAll(testBackend);

describe('reward model', () => {
  it('reaches > 95% held-out accuracy on a clearly separable preference', async () => {
    const rm = new RewardModel(nano(11));
    const evaluation = separable(30, 2);
    const r = await trainRewardModel({
      model: rm,
      tokenizer: tok,
      data: separable(120, 1),
      evaluation,
      config: { steps: 40, batchSize: 8, microBatchSize: 8, lr: 2e-3, warmupSteps: 3, evalEvery: 40 },
    });
    expect(r.evalAccuracy!).toBeGreaterThan(0.95);
    expect(r.evalMargin!).toBeGreaterThan(0);
    rm.dispose();
  });

  it('forwards each completion once and changes every parameter, head included, in one step; no leaks', async () => {
    const rm = new RewardModel(nano(12));
    const runner = createRewardStep(rm, { microBatchSize: 2 }, tok.special.pad);
    const rankings = encodeRankings(tok, separable(4, 3), 64);
    // 4 rankings of 3 or 4 completions = 14 sequences, each scored once
    expect(rankings.reduce((n, r) => n + r.seqs.length, 0)).toBe(14);
    const before = weightsOf(rm.params());
    await runner.step(rankings, 1e-3);
    expect(unchanged(before, weightsOf(rm.params()))).toEqual([]);
    const n = tf.memory().numTensors;
    await runner.step(rankings, 1e-3);
    await evaluateRewardModel(rm, rankings, tok.special.pad);
    expect(tf.memory().numTensors).toBe(n);
    runner.dispose();
    rm.dispose();
  });

  it('skips rankings without a preference pair up to maxSkipFraction, stops past it, and rejects empty datasets', async () => {
    const rm = new RewardModel(nano(13));
    const data = separable(3, 4);
    data[2] = { ...data[2], id: 'r-42', tiers: [[0, 1, 2]] };
    await expect(trainRewardModel({ model: rm, tokenizer: tok, data })).rejects.toThrow(/^1 of 3 rankings \(33\.3%\) cannot be used, more than the limit of 20% \(1 ranking gives no preference pair/);
    const seen: { skipped: string[]; total: number }[] = [];
    const r = await trainRewardModel({
      model: rm,
      tokenizer: tok,
      data,
      config: { steps: 1, maxSkipFraction: 0.5, evalFraction: 0 },
      onScreened: (s) => void seen.push({ skipped: s.skipped.map((x) => `${x.id}:${x.reason}`), total: s.total }),
    });
    expect(r.steps).toBe(1);
    expect(seen).toEqual([{ skipped: ['r-42:no-pair'], total: 3 }]);
    await expect(trainRewardModel({ model: rm, tokenizer: tok, data: [] })).rejects.toThrow(/empty dataset/);
    rm.dispose();
  });
});
