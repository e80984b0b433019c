import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { GPT } from '../model/gpt';
import { PRESETS } from '../model/config';
import { createTokenizer } from '../tokenizer';
import type { RankingExample } from '../data/schemas';
import { replyLogprobs } from '../score';
import { createDpoStep, encodePreferences, evaluateDpo, sequenceLogps, trainDpo, withReference, type DpoCheckpoint, type ReferenceLogps } from './dpo';
import { disposeState, maxAbsDiff, nano, randomText, rng, saveState, testBackend, unchanged, weightsOf, type SavedState } from './testkit';

const tok = createTokenizer('byte');
const pad = tok.special.pad;

/**
 * Rankings of K = 3 or 4 completions: the ones that say "yes yes" form the top tier (ties inside a
 * tier give no pair), the others are random letters. Completion order is shuffled.
 */
function separable(n: number, seed: number): RankingExample[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const K = 3 + (i % 2);
    const good = new Set([0, ...(K === 4 && r() < 0.5 ? [1] : [])]);
    const completions = Array.from({ length: K }, (_, k) => (good.has(k) ? 'yes yes' : randomText(r, 5 + Math.floor(r() * 4), 'bcdfgh ')));
    const order = [...completions.keys()].sort(() => r() - 0.5);
    const inv = new Map(order.map((k, j) => [k, j]));
    const bad = [...completions.keys()].filter((k) => !good.has(k));
    return {
      id: `r${i}`,
      context: [{ role: 'user', content: randomText(r, 4) }],
      completions: order.map((k) => completions[k]),
      tiers: [[...good].map((k) => inv.get(k)!), bad.map((k) => inv.get(k)!)],
    };
  });
}

/** The frozen reference of these tests: a separate nano model of the policy's seed. */
function referenceOf(seed: number, calls?: { n: number }): ReferenceLogps {
  return async (rankings) => {
    if (calls) calls.n++;
    const ref = nano(seed);
    try {
      return await sequenceLogps(ref, rankings, pad);
    } finally {
      ref.dispose();
    }
  };
}

beforeAll(testBackend);

describe('DPO trainer', () => {
  it('encodes the reply tokens of each completion (content and <|end|>), keeping the end of a long one', () => {
    const [e] = encodePreferences(tok, [{ context: [{ role: 'user', content: 'hi' }], completions: ['no', 'yes', 'unused'], tiers: [[1], [0]] }], 64);
    expect(e.seqs.length).toBe(2); // only completions in a tier
    expect(e.tiers).toEqual([[0], [1]]);
    expect(e.seqs.map((s, i) => tok.decode(s.slice(e.replyStart[i])))).toEqual(['yes<|end|>', 'no<|end|>']);
    const [long] = encodePreferences(tok, [{ context: [{ role: 'user', content: 'x'.repeat(40) }], completions: ['abc', 'de'], tiers: [[0], [1]] }], 20);
    expect(long.seqs.map((s) => s.length)).toEqual([20, 20]);
    expect(long.seqs.map((s, i) => tok.decode(s.slice(long.replyStart[i])))).toEqual(['abc<|end|>', 'de<|end|>']);
  });

  it('sums the same reply log-probs as the sampler’s scorer (score.ts replyLogprobs)', async () => {
    const model = nano(3);
    const data = separable(3, 5);
    const enc = encodePreferences(tok, data, 64);
    const ours = (await sequenceLogps(model, enc, pad, 2)).flat();
    const contexts = data.flatMap((r) => r.tiers.flat().map(() => r.context));
    const replies = data.flatMap((r) => r.tiers.flat().map((c) => [...tok.encode(r.completions[c]), tok.special.endOfTurn]));
    const theirs = await replyLogprobs(model, tok, contexts, replies, 1);
    expect(ours.length).toBe(theirs.length);
    ours.forEach((x, i) => expect(x).toBeCloseTo(theirs[i], 3));
    expect(Math.max(...ours)).toBeLessThan(-5); // a real sum of several tokens, not a zero
    model.dispose();
  });

  it('polls a stop between the micro-batches of the reference pass', async () => {
    const model = nano(3);
    const enc = encodePreferences(tok, separable(5, 5), 64);
    let polls = 0;
    expect(await sequenceLogps(model, enc, pad, 2, () => ++polls > 1)).toBeNull(); // stopped before the second of three micro-batches
    expect(polls).toBe(2);
    expect(await sequenceLogps(model, enc, pad, 2, () => false)).toHaveLength(5);
    model.dispose();
  });

  it('starts at loss ln 2 with zero rewards, forwards each completion once, changes every parameter and leaks nothing', async () => {
    const model = nano(4);
    const enc = encodePreferences(tok, separable(4, 3), 64);
    expect(enc.reduce((n, r) => n + r.seqs.length, 0)).toBe(14); // 4 rankings of 3 or 4 completions
    const items = withReference(enc, (await referenceOf(4)(enc))!);
    const runner = createDpoStep(model, { microBatchSize: 3 }, pad);
    const before = weightsOf(model.params);
    const first = await runner.step(items, 1e-3);
    expect(first.loss).toBeCloseTo(Math.LN2, 4); // policy = reference: Δ = 0 for every pair
    expect(first.stats.chosen).toBeCloseTo(0, 4);
    expect(first.stats.margin).toBeCloseTo(0, 4);
    // TRL counts chosen > rejected strictly, so equal rewards score 0. Native TensorFlow's kernels
    // differ in the last bits between the reference pass's batch shapes and this step's, which
    // makes that comparison of two ~1e-7 rewards a coin flip there.
    if (tf.getBackend() !== 'tensorflow') expect(first.stats.accuracy).toBe(0);
    expect(first.stats.logpsChosen).toBeLessThan(0);
    expect(first.gradNorm).toBeGreaterThan(0);
    expect(unchanged(before, weightsOf(model.params))).toEqual([]);
    const n = tf.memory().numTensors;
    await runner.step(items, 1e-3);
    await evaluateDpo(model, items, pad, { microBatchSize: 2 });
    expect(tf.memory().numTensors).toBe(n);
    runner.dispose();
    model.dispose();
  });

  it('learns a separable preference: the loss falls and rewards/accuracies rises; held-out statistics are reported', async () => {
    const model = nano(5);
    const seen: Record<string, number>[] = [];
    const r = await trainDpo({
      model,
      tokenizer: tok,
      reference: referenceOf(5),
      data: separable(24, 1),
      evaluation: separable(8, 2),
      config: { steps: 25, batchSize: 8, microBatchSize: 8, lr: 3e-3, warmupSteps: 2, beta: 0.1, evalEvery: 25 },
      callbacks: { onStep: (m) => void seen.push(m.metrics) },
    });
    expect(Object.keys(seen[0]).sort()).toEqual(
      ['grad_norm', 'logps/chosen', 'logps/rejected', 'loss', 'lr', 'rewards/accuracies', 'rewards/chosen', 'rewards/margins', 'rewards/rejected', 'tokens', 'tokens_per_s'].sort(),
    );
    expect(seen[0].loss).toBeCloseTo(Math.LN2, 4);
    const last = seen[seen.length - 1];
    expect(last.loss).toBeLessThan(0.3);
    expect(last['rewards/accuracies']).toBeGreaterThan(0.9);
    expect(last['rewards/margins']).toBeGreaterThan(1);
    expect(last['rewards/chosen']).toBeGreaterThan(last['rewards/rejected']);
    expect(last).toHaveProperty('eval_loss');
    expect(last).toHaveProperty(['eval_rewards/accuracies']);
    expect(r.evalAccuracy!).toBeGreaterThan(0.9); // "yes yes" generalises to new prompts
    expect(r.evalLoss!).toBeLessThan(Math.LN2);
    model.dispose();
  });

  it('IPO: starts at (1/(2β))² and moves the per-token log-ratio gap towards 1/(2β)', async () => {
    const model = nano(6);
    const losses: number[] = [];
    await trainDpo({
      model,
      tokenizer: tok,
      reference: referenceOf(6),
      data: separable(16, 7),
      config: { steps: 15, batchSize: 8, microBatchSize: 8, lr: 3e-3, warmupSteps: 2, beta: 0.5, lossType: 'ipo', evalFraction: 0 },
      callbacks: { onStep: (m) => void losses.push(m.metrics.loss) },
    });
    expect(losses[0]).toBeCloseTo(1, 4); // (0 − 1/(2·0.5))²
    expect(losses[losses.length - 1]).toBeLessThan(0.5);
    model.dispose();
  });

  it('resumes from its last checkpoint after a crash with the metrics of a straight run', async () => {
    const config = { steps: 6, batchSize: 3, microBatchSize: 2, lr: 2e-3, warmupSteps: 2, evalEvery: 2, checkpointEvery: 2 };
    const data = separable(8, 9);
    const evaluation = separable(3, 10);
    const straightSteps: Record<string, number>[] = [];
    const straight = nano(7);
    const a = await trainDpo({ model: straight, tokenizer: tok, reference: referenceOf(7), data, evaluation, config, callbacks: { onStep: (m) => void straightSteps.push(m.metrics) } });

    const crashed = nano(7);
    let saved: SavedState | undefined;
    await expect(
      trainDpo({
        model: crashed,
        tokenizer: tok,
        reference: referenceOf(7),
        data,
        evaluation,
        config,
        callbacks: {
          onCheckpoint: async (s: DpoCheckpoint) => {
            disposeState(saved);
            saved = saveState(s.step, [s.model.params], s.optimizerState, s.trainerState);
          },
          onStep: (m) => {
            if (m.step === 3) throw new Error('killed');
          },
        },
      }),
    ).rejects.toThrow('killed');
    expect(saved!.resume.step).toBe(2);
    const resumed = new GPT(PRESETS.nano, { weights: saved!.weights[0] });
    const resumedSteps: Record<string, number>[] = [];
    const b = await trainDpo({ model: resumed, tokenizer: tok, reference: referenceOf(7), data, evaluation, config, resume: saved!.resume, callbacks: { onStep: (m) => void resumedSteps.push(m.metrics) } });
    expect(b.steps).toBe(6);
    const drop = ({ tokens_per_s: _, ...m }: Record<string, number>) => m;
    expect(resumedSteps.length).toBe(4);
    resumedSteps.forEach((m, i) => {
      const want = drop(straightSteps[i + 2]);
      for (const [k, v] of Object.entries(drop(m))) expect(v, `${k} at step ${i + 3}`).toBeCloseTo(want[k], 4);
    });
    expect(b.evalLoss!).toBeCloseTo(a.evalLoss!, 4);
    expect(maxAbsDiff(weightsOf(straight.params), weightsOf(resumed.params))).toBeLessThan(1e-5);
    disposeState(saved);
    [straight, crashed, resumed].forEach((m) => m.dispose());
  });

  it('stops on request after a final checkpoint', async () => {
    const model = nano(8);
    const calls: Array<{ step: number; final: boolean }> = [];
    let steps = 0;
    const r = await trainDpo({
      model,
      tokenizer: tok,
      reference: referenceOf(8),
      data: separable(6, 11),
      config: { steps: 50, batchSize: 2, checkpointEvery: 100, evalFraction: 0 },
      callbacks: { onStep: () => void steps++, onCheckpoint: async (s) => void calls.push({ step: s.step, final: s.final }), shouldStop: () => steps >= 2 },
    });
    expect(r).toMatchObject({ stopped: true, steps: 2 });
    expect(calls).toEqual([{ step: 2, final: true }]);
    model.dispose();
  });

  it('skips rankings that tie every completion up to maxSkipFraction, asks the reference once for train and held-out, and refuses bad input', async () => {
    const model = nano(9);
    const data = separable(4, 12);
    data[3] = { ...data[3], id: 'tied', tiers: [data[3].tiers.flat()] };
    const calls = { n: 0 };
    const seen: string[][] = [];
    await expect(trainDpo({ model, tokenizer: tok, reference: referenceOf(9), data, config: { steps: 1 } })).rejects.toThrow(/^1 of 4 DPO rankings \(25%\) cannot be used, more than the limit of 20% \(1 ranking gives no preference pair .*its dpo\.maxSkipFraction setting/);
    const r = await trainDpo({
      model,
      tokenizer: tok,
      reference: referenceOf(9, calls),
      data,
      evaluation: separable(2, 13),
      config: { steps: 2, maxSkipFraction: 0.5 },
      onScreened: (s) => void seen.push(s.skipped.map((x) => `${x.id}:${x.reason}`)),
    });
    expect(r.steps).toBe(2);
    expect(seen).toEqual([['tied:no-pair']]);
    expect(calls.n).toBe(1);
    await expect(trainDpo({ model, tokenizer: tok, reference: referenceOf(9), data: [] })).rejects.toThrow(/empty dataset/);
    await expect(trainDpo({ model, tokenizer: tok, reference: referenceOf(9), data, config: { beta: 0 } })).rejects.toThrow(/β must be above 0/);
    await expect(trainDpo({ model, tokenizer: tok, reference: async () => [[0]], data: separable(3, 1), config: { steps: 1, evalFraction: 0 } })).rejects.toThrow(/reference log-probs for 1 rankings, expected 3/);
    model.dispose();
  });
});
