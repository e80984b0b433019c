// The same first training steps on WebAssembly and on native TensorFlow: the same seeded models
// (initialisation draws from tf.js's JS generator, so both backends start from identical
// weights), the same data, the same losses. Stated tolerance: relative 1e-4. The two backends
// sum in different orders (XNNPACK and oneDNN/Eigen kernels, fused against composed ops), which
// moves a float32 loss by ~1e-6 relative; a wrong gradient, mask or normaliser moves it by far
// more. Runs in the `tensorflow` vitest project only.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend';
import { createTokenizer } from '../tokenizer';
import { RewardModel, ValueModel } from '../heads';
import { sftRows } from './sft';
import { createLmStep } from './lm';
import { SftConfigSchema } from '../../shared/stage-config';
import { createRewardStep, encodeRankings } from './reward';
import { createPpoStep } from './ppo';
import { createDpoStep, encodePreferences, sequenceLogps, withReference } from './dpo';
import { nano, randomText, rng } from './testkit';

const tok = createTokenizer('byte');
const TOLERANCE = 1e-4;
const BACKENDS = ['wasm', 'tensorflow'] as const;

function expectSame(label: string, values: Record<string, number[]>) {
  const [a, b] = BACKENDS.map((k) => values[k]);
  a.forEach((x, i) => {
    const rel = Math.abs(x - b[i]) / Math.max(1, Math.abs(x));
    expect(rel, `${label}[${i}]: wasm ${x}, tensorflow ${b[i]}`).toBeLessThan(TOLERANCE);
  });
}

async function onEach(fn: () => number[] | Promise<number[]>): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const backend of BACKENDS) {
    await initBackend({ backend });
    out[backend] = await fn();
  }
  return out;
}

const r = rng(3);
const demos = Array.from({ length: 6 }, () => ({
  messages: [
    { role: 'user' as const, content: randomText(r, 8) },
    { role: 'assistant' as const, content: randomText(r, 20) },
  ],
}));

describe('first steps agree across backends', () => {
  it('SFT: the losses and gradient norms of three steps', async () => {
    const values = await onEach(async () => {
      const model = nano(7);
      const step = createLmStep(model, SftConfigSchema.parse({ microBatchSize: 3 }), tok.special.pad);
      const rows = sftRows(tok, demos, 64);
      const out: number[] = [];
      for (let k = 0; k < 3; k++) {
        const s = await step.step(rows, 3e-3);
        out.push(s.loss, s.gradNorm);
      }
      step.dispose();
      model.dispose();
      return out;
    });
    expect(values.wasm[0]).toBeGreaterThan(5); // ≈ ln 264: a real loss, not a zero
    expectSame('sft', values);
  });

  it('reward model: the pairwise loss and accuracy of two steps', async () => {
    const rankings = encodeRankings(
      tok,
      Array.from({ length: 4 }, () => ({
        context: [{ role: 'user' as const, content: randomText(r, 6) }],
        completions: [randomText(r, 10), randomText(r, 14), randomText(r, 7)],
        tiers: [[0], [1, 2]],
      })),
      64,
    );
    const values = await onEach(async () => {
      const rm = new RewardModel(nano(8), undefined, 3);
      const step = createRewardStep(rm, { microBatchSize: 2 }, tok.special.pad);
      const out: number[] = [];
      for (let k = 0; k < 2; k++) {
        const s = await step.step(rankings, 1e-3);
        out.push(s.loss, s.gradNorm, s.margin);
      }
      step.dispose();
      rm.dispose();
      return out;
    });
    expectSame('rm', values);
  });

  it('PPO: the update losses on one rollout batch', async () => {
    const contexts = demos.slice(0, 4).map((d) => [d.messages[0]]);
    const reward = (_c: unknown, replies: string[]) => replies.map((x) => (x.match(/a/g) ?? []).length / 4);
    const config = { batchSize: 4, miniBatchSize: 4, microBatchSize: 2, ppoEpochs: 1, maxNewTokens: 8, temperature: 1 };
    const models = () => ({ policy: nano(9), reference: nano(9), critic: new ValueModel(nano(10), undefined, 0, 4) });
    // The rollout (sampled tokens, old log-probs, values, advantages) is made once, on wasm, and
    // replayed on both backends: sampling could draw a different token where two are almost tied.
    await initBackend({ backend: 'wasm' });
    const m0 = models();
    const batch = await createPpoStep({ ...m0, tokenizer: tok, reward, config }).rollout(contexts, 0.05, 1);
    [m0.policy, m0.reference, m0.critic].forEach((m) => m.dispose());
    expect(batch.ro.responseMask.flat().some(Boolean)).toBe(true);
    const values = await onEach(async () => {
      const m = models();
      const runner = createPpoStep({ ...m, tokenizer: tok, reward, config });
      const first = (await runner.update(batch, 1e-3, 1, 0)).metrics;
      const second = (await runner.update(batch, 1e-3, 2, 0)).metrics; // after one Adam step on each side
      runner.dispose();
      [m.policy, m.reference, m.critic].forEach((x) => x.dispose());
      return [first.policy_loss, first.value_loss, first.approx_kl, first.grad_norm, second.policy_loss, second.value_loss];
    });
    expectSame('ppo', values);
  });

  it('DPO: the reference pass, then the loss, rewards and gradient norm of two steps (sigmoid and IPO)', async () => {
    const rankings = encodePreferences(
      tok,
      Array.from({ length: 4 }, () => ({
        context: [{ role: 'user' as const, content: randomText(r, 6) }],
        completions: [randomText(r, 10), randomText(r, 14), randomText(r, 7)],
        tiers: [[0], [1, 2]],
      })),
      64,
    );
    const values = await onEach(async () => {
      const out: number[] = [];
      const reference = nano(12);
      const refs = await sequenceLogps(reference, rankings, tok.special.pad, 2);
      reference.dispose();
      out.push(...refs.flat());
      for (const lossType of ['sigmoid', 'ipo'] as const) {
        // The reference of the steps is a fixed offset from nano(12)'s own sums, so the first loss is not the trivial ln 2.
        const items = withReference(rankings, refs.map((row) => row.map((v, i) => v + (i === 0 ? 0.5 : -0.25))));
        const policy = nano(12);
        const step = createDpoStep(policy, { microBatchSize: 2, beta: 0.5, lossType }, tok.special.pad);
        for (let k = 0; k < 2; k++) {
          const s = await step.step(items, 1e-3);
          out.push(s.loss, s.gradNorm, s.stats.chosen, s.stats.margin);
        }
        step.dispose();
        policy.dispose();
      }
      return out;
    });
    expect(values.wasm[0]).toBeLessThan(-10); // a real sum of reply log-probs
    expectSame('dpo', values);
  });

  it('the logits of a GPT-2 forward agree', async () => {
    const ids = [Array.from({ length: 30 }, (_, t) => (t * 37 + 5) % 256)];
    const values = await onEach(() => {
      const m = nano(11);
      const out = Array.from(tf.tidy(() => m.forward(tf.tensor2d(ids, [1, 30], 'int32'))).dataSync());
      m.dispose();
      return out.filter((_, i) => i % 7 === 0);
    });
    expectSame('logits', values);
  });
});
