// TensorFlow's fused ops (ops/native) must compute what plain tf.js ops compute on the same
// native backend: values and gradients, the fused Adam against the tf.js Adam, the global norm,
// and the products the JS decoding path sends through the binding. Runs in the `tensorflow`
// vitest project only.
import { describe, test, expect, beforeAll, afterEach } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend';
import { setKernelMode } from './mode';
import { nativeGeluNew, nativeLabelLogprobs, nativeLayerNorm, nativeLinear, nativeMatMulNT, sumOfSquares, sumToLast } from './native';
import { geluNewPlain, layerNormPlain } from './pointwise';
import { gatherRows, mmWeight } from './kernel';
import { Adam, clipByGlobalNorm } from '../train/optimizer';
import { maxRelDiff } from '../train/testkit';

beforeAll(async () => {
  await initBackend({ backend: 'tensorflow' });
});
afterEach(() => setKernelMode('auto'));

/** Values and gradients (w.r.t. every input, through a random cotangent) of two implementations. */
function compare(native: (...xs: tf.Tensor[]) => tf.Tensor, plain: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], tol = 1e-5) {
  tf.tidy(() => {
    const yn = native(...inputs);
    const yp = plain(...inputs);
    expect(maxRelDiff(yn, yp)).toBeLessThan(tol);
    const w = tf.randomNormal(yp.shape, 0, 1, 'float32', 7);
    const gn = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(native(...xs), w)))(inputs);
    const gp = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(plain(...xs), w)))(inputs);
    gn.forEach((g, i) => expect(maxRelDiff(g, gp[i])).toBeLessThan(tol));
  });
}

describe('native fused ops match plain tf.js ops (values and gradients)', () => {
  test('linear (MatMul + BiasAdd) and the tied head a·bᵀ', () => {
    const x = tf.randomNormal([40, 24], 0, 1, 'float32', 1);
    const w = tf.randomNormal([24, 12], 0, 1, 'float32', 2);
    const b = tf.randomNormal([12], 0, 1, 'float32', 3);
    compare((a, c, d) => nativeLinear(a as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor1D), (a, c, d) => tf.add(tf.matMul(a as tf.Tensor2D, c as tf.Tensor2D), d), [x, w, b]);
    const bt = tf.randomNormal([19, 24], 0, 1, 'float32', 4);
    compare((a, c) => nativeMatMulNT(a as tf.Tensor2D, c as tf.Tensor2D), (a, c) => tf.matMul(a as tf.Tensor2D, c as tf.Tensor2D, false, true), [x, bt]);
    expect(maxRelDiff(sumToLast(x), tf.sum(x, 0))).toBeLessThan(1e-6);
  });

  test('gelu_new and LayerNorm', () => {
    const x = tf.mul(tf.randomNormal([30, 16], 0, 1, 'float32', 5), 3);
    compare((a) => nativeGeluNew(a as tf.Tensor2D), (a) => geluNewPlain(a as tf.Tensor2D), [x]);
    const g = tf.randomNormal([16], 1, 0.1, 'float32', 6);
    const b = tf.randomNormal([16], 0, 0.1, 'float32', 7);
    compare((a, c, d) => nativeLayerNorm(a as tf.Tensor2D, c as tf.Tensor1D, d as tf.Tensor1D, 1e-5), (a, c, d) => layerNormPlain(a as tf.Tensor2D, c as tf.Tensor1D, d as tf.Tensor1D, 1e-5), [x, g, b]);
  });

  test.each([1, 0.7])('token log-probabilities at temperature %s (fused softmax cross-entropy)', (temperature) => {
    const logits = tf.mul(tf.randomNormal([12, 50], 0, 1, 'float32', 8), 4);
    const labels = tf.tensor1d([0, 49, 3, 3, 17, 25, 8, 1, 44, 12, 30, 2], 'int32');
    const plain = (l: tf.Tensor) => tf.sum(tf.mul(tf.logSoftmax(tf.div(l, temperature)), tf.oneHot(labels, 50)), -1);
    compare((l) => nativeLabelLogprobs(l as tf.Tensor2D, labels, temperature), plain, [logits]);
  });

  test('the fused Adam(W) follows the tf.js Adam step for step, and its state round-trips', async () => {
    const init = () =>
      new Map([
        ['w', tf.variable(tf.randomNormal([6, 5], 0, 1, 'float32', 9))],
        ['b', tf.variable(tf.randomNormal([5], 0, 1, 'float32', 10))],
      ]);
    const grads = (k: number) =>
      new Map<string, tf.Tensor>([
        ['w', tf.randomNormal([6, 5], 0, 1e-3, 'float32', 20 + k)],
        ['b', tf.randomNormal([5], 0, 1e-3, 'float32', 40 + k)],
      ]);
    // Gradients of the size of ε, so that where ε enters (after bias correction) shows.
    const opts = { beta1: 0.9, beta2: 0.95, eps: 1e-3, weightDecay: 0.1 };
    const fusedParams = init();
    const plainParams = init();
    const fused = new Adam(fusedParams, opts);
    setKernelMode('plain');
    const plain = new Adam(plainParams, opts);
    setKernelMode('auto');
    for (let k = 0; k < 4; k++) {
      fused.apply(grads(k), 1e-2 * (k + 1));
      plain.apply(grads(k), 1e-2 * (k + 1));
    }
    for (const name of ['w', 'b']) expect(maxRelDiff(fusedParams.get(name)!, plainParams.get(name)!)).toBeLessThan(1e-5);
    // A parameter changed from outside (copyFrom, a restored checkpoint) is picked up.
    fusedParams.get('b')!.assign(tf.zeros([5]));
    plainParams.get('b')!.assign(tf.zeros([5]));
    fused.apply(grads(9), 1e-2);
    plain.apply(grads(9), 1e-2);
    expect(maxRelDiff(fusedParams.get('b')!, plainParams.get('b')!)).toBeLessThan(1e-5);
    // exportState/importState carry the moments to a new optimizer exactly.
    const state = fused.exportState();
    const again = new Adam(fusedParams, opts);
    await again.importState(state);
    const s1 = fused.exportState();
    const s2 = again.exportState();
    for (const [k, v] of s1) expect(Array.from(s2.get(k)!.dataSync())).toEqual(Array.from(v.dataSync()));
    for (const m of [state, s1, s2]) tf.dispose([...m.values()]);
    const before = tf.memory().numTensors;
    again.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before); // its resource handles are released
    fused.dispose();
    plain.dispose();
  });

  test('global norm and clipping', async () => {
    const grads = new Map<string, tf.Tensor>([
      ['a', tf.tensor2d([[3, 0], [0, 0]])],
      ['b', tf.tensor1d([0, 4])],
    ]);
    expect(sumOfSquares([...grads.values()]).dataSync()[0]).toBeCloseTo(25, 5);
    expect(await clipByGlobalNorm(grads, 1)).toBeCloseTo(5, 5);
    expect(Array.from(grads.get('a')!.dataSync())[0]).toBeCloseTo(0.6, 5);
    expect(Array.from(grads.get('b')!.dataSync())[1]).toBeCloseTo(0.8, 5);
  });

  test('products and row lookups of the JS decoding path, through the binding', () => {
    const w = tf.randomNormal([24, 10], 0, 1, 'float32', 11) as tf.Tensor2D;
    const a = tf.randomNormal([3, 24], 0, 1, 'float32', 12) as tf.Tensor2D;
    const want = tf.matMul(a, w).dataSync();
    const got = mmWeight(a.dataSync() as Float32Array, 3, w);
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
    const wt = tf.transpose(w) as tf.Tensor2D; // [10, 24]
    const gotT = mmWeight(a.dataSync() as Float32Array, 3, wt, true);
    want.forEach((v, i) => expect(gotT[i]).toBeCloseTo(v, 4));
    const rows = gatherRows(w, new Int32Array([5, 0, 5]));
    expect(Array.from(rows.subarray(0, 10))).toEqual(Array.from(w.arraySync()[5]));
    expect(Array.from(rows.subarray(20, 30))).toEqual(Array.from(w.arraySync()[5]));
  });
});

describe('decoding on the native backend', () => {
  test('XNNPACK copies of the weights follow an update: cached decoding after a step gives the full forward’s logits', async () => {
    const { GPT } = await import('../model/gpt');
    const { PRESETS } = await import('../model/config');
    const m = new GPT({ ...PRESETS.nano, nLayer: 2, nEmbd: 32, nHead: 4, nPositions: 16 }, { seed: 3 });
    const row = [5, 9, 250, 3, 7, 1, 12, 40];
    const decoded = () => {
      const cache = m.createCache(1);
      const out: number[] = [];
      tf.tidy(() => {
        out.push(...(m.forwardCached(tf.tensor2d([row.slice(0, 3)], [1, 3], 'int32'), cache).arraySync()[0][2] as number[]));
        for (let t = 3; t < row.length; t++) out.push(...(m.forwardCached(tf.tensor2d([[row[t]]], [1, 1], 'int32'), cache).arraySync()[0][0] as number[]));
      });
      cache.dispose();
      return out;
    };
    const full = () => tf.tidy(() => m.forward(tf.tensor2d([row], [1, row.length], 'int32')).arraySync()[0].slice(2).flat());
    const first = decoded();
    full().forEach((v, i) => expect(first[i]).toBeCloseTo(v, 4));
    // Change every weight (as an optimizer step does): the next decode must not use stale copies.
    for (const v of m.params.values()) v.assign(tf.tidy(() => tf.add(v, tf.randomNormal(v.shape, 0, 0.05, 'float32', 5))));
    const second = decoded();
    const expected = full();
    expect(Math.abs(second[0] - first[0])).toBeGreaterThan(1e-4);
    expected.forEach((v, i) => expect(second[i]).toBeCloseTo(v, 4));
    m.dispose();
  });
});
