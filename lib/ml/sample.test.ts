import { describe, test, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { testBackend } from './train/testkit';
import { GPT } from './model/gpt';
import { PRESETS, type GPTConfig } from './model/config';
import { sample, pickToken, createRng } from './sample';

const cfg: GPTConfig = { ...PRESETS.nano, nLayer: 2, nEmbd: 32, nHead: 4, nPositions: 32 };
let model: GPT;

beforeAll(async () => {
  await testBackend();
  model = new GPT(cfg, { seed: 3 });
});

/** Greedy continuation with full forwards, no cache: the reference for the cached sampler. */
function greedyFull(prompt: number[], n: number): { tokens: number[]; logProbs: number[] } {
  const seq = [...prompt];
  const logProbs: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = tf.tidy(() => {
      const logits = model.forward(tf.tensor2d([seq], [1, seq.length], 'int32'));
      return tf.logSoftmax(tf.reshape(tf.slice(logits, [0, seq.length - 1, 0], [1, 1, cfg.vocabSize]), [cfg.vocabSize]));
    });
    const lp = row.dataSync();
    row.dispose();
    let best = 0;
    for (let v = 1; v < lp.length; v++) if (lp[v] > lp[best]) best = v;
    seq.push(best);
    logProbs.push(lp[best]);
  }
  return { tokens: seq.slice(prompt.length), logProbs };
}

describe('sample', () => {
  test('greedy with the KV cache equals greedy with full forwards, per row of a left-padded batch', async () => {
    const prompts = [[10, 20, 30, 40, 50, 60], [7, 8], [100]];
    const before = tf.memory().numTensors;
    const out = await sample(model, prompts, { maxNewTokens: 8, temperature: 0 });
    expect(tf.memory().numTensors).toBe(before);
    prompts.forEach((p, b) => {
      const ref = greedyFull(p, 8);
      expect(out.tokens[b]).toEqual(ref.tokens);
      out.logProbs[b].forEach((lp, i) => expect(lp).toBeCloseTo(ref.logProbs[i], 4));
    });
    expect(out.finished).toEqual([false, false, false]);
  });

  test('log-probs are taken from temperature-scaled logits', async () => {
    const T = 0.7;
    const out = await sample(model, [[1, 2, 3]], { maxNewTokens: 3, temperature: T, seed: 11 });
    const seq = [1, 2, 3, ...out.tokens[0]];
    const lp = tf.tidy(() => (tf.logSoftmax(tf.div(model.forward(tf.tensor2d([seq], [1, seq.length], 'int32')), T)) as tf.Tensor3D).arraySync()[0]);
    out.tokens[0].forEach((tok, i) => expect(out.logProbs[0][i]).toBeCloseTo(lp[2 + i][tok], 4));
  });

  test('seeded: the same seed gives the same tokens, another seed other tokens', async () => {
    const a = await sample(model, [[5, 6, 7], [9]], { maxNewTokens: 12, temperature: 1.5, seed: 1 });
    const b = await sample(model, [[5, 6, 7], [9]], { maxNewTokens: 12, temperature: 1.5, seed: 1 });
    const c = await sample(model, [[5, 6, 7], [9]], { maxNewTokens: 12, temperature: 1.5, seed: 2 });
    expect(a).toEqual(b);
    expect(c.tokens).not.toEqual(a.tokens);
  });

  test('stops a row at a stop token and keeps it; others go on', async () => {
    const free = await sample(model, [[4, 4, 4]], { maxNewTokens: 6, temperature: 0 });
    const stopAt = free.tokens[0][2];
    const firstHit = free.tokens[0].indexOf(stopAt);
    const out = await sample(model, [[4, 4, 4], [200, 201]], { maxNewTokens: 6, temperature: 0, stopTokens: [stopAt] });
    expect(out.tokens[0]).toEqual(free.tokens[0].slice(0, firstHit + 1));
    expect(out.finished[0]).toBe(true);
    expect(out.tokens[1].length).toBe(out.finished[1] ? out.tokens[1].length : 6);
  });

  test('never runs past the context length', async () => {
    const out = await sample(model, [Array.from({ length: 30 }, (_, i) => i)], { maxNewTokens: 10, temperature: 0 });
    expect(out.tokens[0]).toHaveLength(2);
  });
});

describe('pickToken', () => {
  const logits = Float32Array.from([2, 1, 0.5, -1, 3]);
  test('top-k 1 is greedy; top-k restricts the support', async () => {
    const rng = createRng(1);
    for (let i = 0; i < 20; i++) expect(pickToken(logits, { temperature: 1, topK: 1, topP: 1 }, rng).token).toBe(4);
    const seen = new Set<number>();
    for (let i = 0; i < 300; i++) seen.add(pickToken(logits, { temperature: 1, topK: 2, topP: 1 }, rng).token);
    expect([...seen].sort()).toEqual([0, 4]);
  });
  test('top-p keeps the smallest nucleus reaching p', async () => {
    // softmax: p4 ≈ 0.61, p0 ≈ 0.22, p1 ≈ 0.08 …; p = 0.7 keeps {4, 0}
    const rng = createRng(2);
    const seen = new Set<number>();
    for (let i = 0; i < 300; i++) seen.add(pickToken(logits, { temperature: 1, topK: 0, topP: 0.7 }, rng).token);
    expect([...seen].sort()).toEqual([0, 4]);
  });
  test('sampling frequencies follow softmax(logits / T)', async () => {
    const rng = createRng(3);
    const counts = new Array(5).fill(0);
    const N = 20000;
    for (let i = 0; i < N; i++) counts[pickToken(logits, { temperature: 2, topK: 0, topP: 1 }, rng).token]++;
    const z = Array.from(logits, (l) => Math.exp(l / 2));
    const s = z.reduce((a, b) => a + b);
    counts.forEach((c, i) => expect(c / N).toBeCloseTo(z[i] / s, 1));
    const { logProb, token } = pickToken(logits, { temperature: 2, topK: 0, topP: 1 }, rng);
    expect(logProb).toBeCloseTo(Math.log(z[token] / s), 5);
  });
});
