// gpu-bench's parts drive the real trainer steps and the sampler; on the test backend (wasm) and
// the nano shape they must all produce finite figures, free what they made, and respect the budget.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../lib/ml/model/config';
import { testBackend } from '../../lib/ml/train/testkit';
import { matmulParams, runTrainerBench, trainFlopsPerToken } from './trainer-bench';

beforeAll(testBackend);

const plan = { config: PRESETS.nano, batch: 4, steps: 1, newTokens: 4, matmul: 64, peakTflops: 10 };

describe('trainer bench', () => {
  it('times SFT, RM, PPO, sampling and a matmul through the trainers, leaking no tensor', async () => {
    const before = tf.memory().numTensors;
    const partials: string[][] = [];
    const r = await runTrainerBench({ ...plan, parts: ['sft', 'rm', 'ppo', 'sample', 'matmul'], deadline: Infinity, onPart: (x) => partials.push(Object.keys(x.parts)) });
    expect(r.errors).toEqual({});
    expect(r.skipped).toEqual({});
    expect(Object.keys(r.parts).sort()).toEqual(['matmul', 'ppo_rollout', 'ppo_update', 'rm', 'sample_b1', 'sample_batch', 'sft']);
    for (const k of ['sft', 'rm', 'ppo_update', 'ppo_rollout', 'sample_b1', 'sample_batch']) {
      expect(r.parts[k].tokens_per_s, k).toBeGreaterThan(0);
      expect(r.parts[k].timed_steps, k).toBe(1);
    }
    expect(r.parts.sft).toMatchObject({ batch: [4, 64] });
    expect(r.parts.rm).toMatchObject({ batch: [4, 64] }); // one ranking of four completions
    expect(r.parts.sample_batch).toMatchObject({ batch: 4, new_tokens: 4 });
    // The fraction of the peak is the TFLOP/s over the given peak.
    expect(r.parts.sft.peak_fraction).toBeCloseTo((r.parts.sft.tflops as number) / 10, 3);
    expect(r.parts.matmul.tflops).toBeGreaterThan(0);
    expect(partials.at(-1)).toEqual(Object.keys(r.parts));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('starts no part past the deadline and says so', async () => {
    const r = await runTrainerBench({ ...plan, parts: ['sft', 'ppo', 'sample'], deadline: performance.now() - 1 });
    expect(r.parts).toEqual({});
    expect(Object.keys(r.skipped).sort()).toEqual(['ppo_rollout', 'ppo_update', 'sample_b1', 'sample_batch', 'sft']);
    expect(r.skipped.sft).toMatch(/time budget/);
  });

  it('counts the lm head only where logits are computed', () => {
    const c = PRESETS.nano;
    expect(matmulParams(c, true) - matmulParams(c, false)).toBe(c.vocabSize * c.nEmbd);
    expect(trainFlopsPerToken(c, 64)).toBe(6 * matmulParams(c, true) + 12 * c.nLayer * c.nEmbd * 64);
  });
});
