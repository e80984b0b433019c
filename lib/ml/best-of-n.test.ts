import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { testBackend } from './train/testkit';
import { GPT } from './model/gpt';
import { PRESETS, type GPTConfig } from './model/config';
import { RewardModel } from './heads';
import { createTokenizer, type ChatMessage } from './tokenizer';
import { generate } from './generate';
import { rmScores } from './score';
import { bestOfN, bestOfNKl } from './best-of-n';

const cfg: GPTConfig = { ...PRESETS.nano, nLayer: 2, nEmbd: 32, nHead: 4, nPositions: 64 };
const tok = createTokenizer('byte');
const contexts: ChatMessage[][] = [[{ role: 'user', content: 'Tell me about tea.' }], [{ role: 'user', content: 'Why is the sky blue?' }], [{ role: 'user', content: 'Hi' }]];
const gen = { maxNewTokens: 10, temperature: 1.2, seed: 42 };
let policy: GPT;
let head: tf.Tensor2D;

beforeAll(async () => {
  await testBackend();
  policy = new GPT(cfg, { seed: 3 });
  head = tf.randomNormal([1, cfg.nEmbd], 0, 1, 'float32', 17) as tf.Tensor2D;
});
afterAll(() => {
  policy.dispose();
  head.dispose();
});

/** A reward model on its own copy of a backbone, with the head given. */
const rmWith = (w: tf.Tensor) => new RewardModel(new GPT(cfg, { seed: 9 }), w);

describe('bestOfN', () => {
  test('the candidates are one seeded batch of n rows per context, and the kept reply is the one the RM scores highest', async () => {
    const rm = rmWith(head);
    const n = 4;
    const picks = await bestOfN({ policy, rm, tokenizer: tok, contexts, n, generate: gen });
    const rows = contexts.flatMap((c) => Array.from({ length: n }, () => c));
    const plain = await generate(policy, tok, rows, { ...gen, batchSize: 16 });
    const scores = await rmScores(rm, tok, rows, plain.map((g) => g.text));
    expect(picks).toHaveLength(contexts.length);
    picks.forEach((p, b) => {
      expect(p.candidates.map((c) => c.text)).toEqual(plain.slice(b * n, (b + 1) * n).map((g) => g.text));
      const s = scores.slice(b * n, (b + 1) * n);
      const best = s.indexOf(Math.max(...s));
      expect(p.text).toBe(plain[b * n + best].text);
      expect(p.ids).toEqual(plain[b * n + best].ids);
      expect(p.score).toBeCloseTo(Math.max(...s), 5);
      for (const c of p.candidates) expect(p.score).toBeGreaterThanOrEqual(c.score);
    });
    // sampling at T 1.2 makes distinct candidates: the pick is not always the first one
    expect(picks.some((p) => p.text !== p.candidates[0].text)).toBe(true);
    rm.dispose();
  });

  test('the head decides: negating it keeps the candidate the original head scored lowest', async () => {
    const up = rmWith(head);
    const neg = tf.neg(head);
    const down = rmWith(neg);
    const a = await bestOfN({ policy, rm: up, tokenizer: tok, contexts, n: 5, generate: gen });
    const b = await bestOfN({ policy, rm: down, tokenizer: tok, contexts, n: 5, generate: gen });
    a.forEach((p, i) => {
      const s = p.candidates.map((c) => c.score);
      expect(b[i].text).toBe(p.candidates[s.indexOf(Math.min(...s))].text);
    });
    up.dispose();
    down.dispose();
    neg.dispose();
  });

  test('equal scores keep the first candidate; n = 1 is plain sampling', async () => {
    const flat = rmWith(tf.zeros([1, cfg.nEmbd]));
    const picks = await bestOfN({ policy, rm: flat, tokenizer: tok, contexts, n: 3, generate: gen });
    picks.forEach((p) => {
      expect(p.candidates.every((c) => c.score === 0)).toBe(true);
      expect(p.text).toBe(p.candidates[0].text);
    });
    const one = await bestOfN({ policy, rm: flat, tokenizer: tok, contexts, n: 1, generate: gen });
    const plain = await generate(policy, tok, contexts, { ...gen, batchSize: 16 });
    expect(one.map((p) => p.text)).toEqual(plain.map((g) => g.text));
    await expect(bestOfN({ policy, rm: flat, tokenizer: tok, contexts, n: 0, generate: gen })).rejects.toThrow(/n must be a whole number/);
    flat.dispose();
  });

  test('the KL bound is log n − (n−1)/n: 0 for n = 1', () => {
    expect(bestOfNKl(1)).toBe(0);
    expect(bestOfNKl(4)).toBeCloseTo(Math.log(4) - 0.75, 12);
  });
});
