// Initialisation is a pure function of the seed, seed 0 included (tf.js takes a falsy seed
// to mean "unseeded", which once made seed-0 models differ run to run).
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend';
import { GPT } from './gpt';
import { PRESETS } from './config';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('GPT init', () => {
  it('gives identical weights for the same seed and different ones for another seed', () => {
    const before = tf.memory().numTensors;
    const [a, b, c] = [new GPT(PRESETS.nano, { seed: 0 }), new GPT(PRESETS.nano, { seed: 0 }), new GPT(PRESETS.nano, { seed: 1 })];
    const wte = (m: GPT) => m.params.get('wte.weight')!.dataSync();
    expect(Array.from(wte(a))).toEqual(Array.from(wte(b)));
    expect(Array.from(wte(a))).not.toEqual(Array.from(wte(c)));
    for (const m of [a, b, c]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
