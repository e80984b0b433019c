import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { GPT } from '../model/gpt';
import { PRESETS } from '../model/config';
import { createTokenizer } from '../tokenizer';
import { ValueModel } from '../heads';
import type { PromptExample, SftExample } from '../data/schemas';
import { trainSft } from './sft';
import { createPpoStep, layoutRollout, trainPpo, truncateAtStop, type PpoCheckpoint, type RewardFn } from './ppo';
import { sftRows } from './sft';
import { disposeState, maxAbsDiff, nano, randomText, rng, saveState, testBackend, unchanged, weightsOf, type SavedState } from './testkit';

const tok = createTokenizer('byte');
const E = tok.special.endOfTurn;

/** Frequency of the letter "a" in the reply: the programmatic reward PPO should raise. */
const frequencyOfA: RewardFn = (_contexts, responses) =>
  responses.map((r) => (r.length ? [...r].filter((c) => c === 'a').length / r.length : 0));

const prompts: PromptExample[] = ['hi', 'go', 'write', 'more', 'next', 'again'].map((c) => ({ context: [{ role: 'user', content: c }] }));

let sft: GPT;

beforeAll(async () => {
  await testBackend();
  // A tiny SFT policy that answers with short strings over "abcd" (so "a" starts near 1/4).
  const r = rng(5);
  const demos: SftExample[] = Array.from({ length: 24 }, (_, i) => ({
    messages: [prompts[i % prompts.length].context[0], { role: 'assistant', content: randomText(r, 6, 'abcd') }],
  }));
  sft = nano(31);
  const out = await trainSft({ model: sft, tokenizer: tok, data: demos, config: { steps: 40, batchSize: 8, lr: 3e-3, warmupSteps: 4, evalFraction: 0 } });
  for (const t of out.bestWeights?.values() ?? []) t.dispose();
});

function setup(seed = 0) {
  const policy = sft.clone();
  const reference = sft.clone();
  const critic = new ValueModel(sft.clone(), undefined, 0, seed);
  return { policy, reference, critic, dispose: () => [policy, reference, critic].forEach((m) => m.dispose()) };
}

describe('PPO helpers', () => {
  it('stops each reply at its first end-of-turn (kept) and masks what follows', () => {
    const { tokens, ended } = truncateAtStop([[97, 98, E, 99], [97, 97, 97]], [E, tok.special.eos]);
    expect(tokens).toEqual([[97, 98, E], [97, 97, 97]]);
    expect(ended).toEqual([true, false]);
    const ro = layoutRollout([[1, 2, 3], [4]], tokens, ended, 0);
    // queries left-padded to 3, replies right-padded to 3
    expect(ro.ids).toEqual([[1, 2, 3, 97, 98, E], [0, 0, 4, 97, 97, 97]]);
    expect(ro.attention).toEqual([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]]);
    expect(ro.responseMask).toEqual([[1, 1, 1], [1, 1, 1]]);
    const short = layoutRollout([[1]], [[E]], [true], 0);
    expect(short.responseMask).toEqual([[1]]);
  });
});

describe('PPO', () => {
  it('raises a programmatic reward while the KL it reports grows', async () => {
    const m = setup();
    const steps: Array<Record<string, number>> = [];
    await trainPpo({
      ...m,
      tokenizer: tok,
      prompts,
      reward: frequencyOfA,
      config: { steps: 8, batchSize: 16, miniBatchSize: 8, maxNewTokens: 8, temperature: 1, lr: 3e-3, klCoef: 0.01, klTarget: 6 },
      callbacks: { onStep: (s) => void steps.push(s.metrics) },
    });
    const first = steps[0];
    const last3 = steps.slice(-3);
    const mean = (k: string) => last3.reduce((a, s) => a + s[k], 0) / 3;
    expect(first.kl).toBeCloseTo(0, 5); // policy = reference at the first rollout
    expect(Math.abs(first.ratio - 1)).toBeLessThan(0.2);
    expect(mean('score')).toBeGreaterThan(first.score + 0.3);
    expect(mean('kl')).toBeGreaterThan(0.5);
    for (const k of ['score', 'kl', 'entropy', 'clipfrac', 'approx_kl', 'value_loss', 'policy_loss', 'ratio', 'kl_coef'])
      expect(Number.isFinite(first[k])).toBe(true);
    m.dispose();
  });

  it('changes every policy and critic parameter in one step, never the reference; no leaks', async () => {
    const m = setup();
    const runner = createPpoStep({ ...m, tokenizer: tok, reward: frequencyOfA, config: { batchSize: 4, miniBatchSize: 4, ppoEpochs: 1, maxNewTokens: 6, lr: 1e-3, temperature: 1 } });
    const contexts = prompts.slice(0, 4).map((p) => p.context);
    const before = { p: weightsOf(m.policy.params), c: weightsOf(m.critic.params()), r: weightsOf(m.reference.params) };
    const run = async (seed: number) => runner.update(await runner.rollout(contexts, 0.05, seed), 1e-3, seed, 0);
    await run(1);
    expect(unchanged(before.p, weightsOf(m.policy.params))).toEqual([]);
    expect(unchanged(before.c, weightsOf(m.critic.params()))).toEqual([]);
    expect(maxAbsDiff(before.r, weightsOf(m.reference.params))).toBe(0);
    const n = tf.memory().numTensors;
    await run(2);
    expect(tf.memory().numTensors).toBe(n);
    runner.dispose();
    m.dispose();
  });

  it('adds the PPO-ptx term and applies the missing-end penalty', async () => {
    const m = setup();
    const ptx = sftRows(tok, [{ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'abcd' }] }], 64);
    const seen: Array<Record<string, number>> = [];
    await trainPpo({
      ...m,
      tokenizer: tok,
      prompts,
      ptx,
      reward: () => new Array(4).fill(1),
      // 2 new tokens: most replies cannot end, so most scores are 1 − 5
      config: { steps: 1, batchSize: 4, miniBatchSize: 4, maxNewTokens: 2, ptxCoef: 0.5, missingEosPenalty: 5, lr: 1e-4 },
      callbacks: { onStep: (s) => void seen.push(s.metrics) },
    });
    const s = seen[0];
    expect(s.ptx_loss).toBeGreaterThan(0);
    expect(s.score).toBeCloseTo(1 - 5 * (1 - s.ended_fraction), 5);
    await expect(trainPpo({ ...m, tokenizer: tok, prompts, reward: frequencyOfA, config: { ptxCoef: 1 } })).rejects.toThrow(/ptx/);
    await expect(trainPpo({ ...m, tokenizer: tok, prompts: [], reward: frequencyOfA })).rejects.toThrow(/empty dataset/);
    m.dispose();
  });

  it('resumes after a crash to the same result as a straight run (weights, β, metrics)', async () => {
    const config = { steps: 4, batchSize: 4, miniBatchSize: 2, ppoEpochs: 2, maxNewTokens: 6, lr: 2e-3, temperature: 1, checkpointEvery: 2, klCoef: 0.1, klTarget: 1, klHorizon: 10 };
    const a = setup();
    const straight: Array<Record<string, number>> = [];
    const ra = await trainPpo({ ...a, tokenizer: tok, prompts, reward: frequencyOfA, config, callbacks: { onStep: (s) => void straight.push(s.metrics) } });

    const b = setup();
    let saved: SavedState | undefined;
    await expect(
      trainPpo({
        ...b,
        tokenizer: tok,
        prompts,
        reward: frequencyOfA,
        config,
        callbacks: {
          onCheckpoint: async (s: PpoCheckpoint) => {
            disposeState(saved);
            saved = saveState(s.step, [s.policy.params, s.critic.params()], s.optimizerState, s.trainerState);
          },
          onStep: (s) => {
            if (s.step === 3) throw new Error('killed');
          },
        },
      }),
    ).rejects.toThrow('killed');
    expect(saved!.resume.step).toBe(2);
    const policy = new GPT(PRESETS.nano, { weights: saved!.weights[0] });
    const criticWeights = new Map([...saved!.weights[1]].filter(([k]) => !k.startsWith('score.')));
    const critic = new ValueModel(new GPT(PRESETS.nano, { weights: criticWeights }), saved!.weights[1].get('score.weight'), saved!.weights[1].get('score.bias')!.dataSync()[0]);
    const resumed: Array<Record<string, number>> = [];
    const rb = await trainPpo({
      policy,
      reference: b.reference,
      critic,
      tokenizer: tok,
      prompts,
      reward: frequencyOfA,
      config,
      resume: saved!.resume,
      callbacks: { onStep: (s) => void resumed.push(s.metrics) },
    });
    expect(rb.steps).toBe(4);
    expect(rb.klCoef).toBeCloseTo(ra.klCoef, 9);
    for (const k of ['score', 'kl', 'policy_loss', 'value_loss']) expect(resumed[1][k]).toBeCloseTo(straight[3][k], 4);
    expect(maxAbsDiff(weightsOf(a.policy.params), weightsOf(policy.params))).toBeLessThan(1e-5);
    expect(maxAbsDiff(weightsOf(a.critic.params()), weightsOf(critic.params()))).toBeLessThan(1e-5);
    disposeState(saved);
    a.dispose();
    b.dispose();
    policy.dispose();
    critic.dispose();
  });
});
