// The WebAssembly workarounds must compute what plain tf ops compute: values and gradients are
// compared here on the plain JS 'cpu' backend (where every plain op and gradient exists), and
// the whole model once more on 'wasm' against 'cpu'.
import { describe, test, expect, beforeAll, afterEach } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend';
import { fastLinear, fastMatMul, fastMatMulNT, sumRows, transpose2d } from './matmul';
import { geluNewFast, geluNewPlain, layerNormFast, layerNormPlain } from './pointwise';
import { fastEmbedding } from './embedding';
import { causalAttentionFast, causalAttentionPlain } from './attention';
import { setKernelMode } from './mode';
import { GPT } from '../model/gpt';
import { PRESETS, type GPTConfig } from '../model/config';
import { maxRelDiff } from '../train/testkit';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterEach(async () => {
  setKernelMode('auto');
  await tf.setBackend('cpu');
});

function expectClose(a: tf.Tensor, b: tf.Tensor, tol = 1e-4) {
  expect(maxRelDiff(a, b)).toBeLessThan(tol);
}

/** Values and gradients (w.r.t. every input, via a random cotangent) of two implementations. */
function compare(fast: (...xs: tf.Tensor[]) => tf.Tensor, plain: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], tol = 1e-4) {
  const yf = fast(...inputs);
  const yp = plain(...inputs);
  expectClose(yf, yp, tol);
  const w = tf.randomNormal(yp.shape, 0, 1, 'float32', 7);
  const gf = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(fast(...xs), w)))(inputs);
  const gp = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(plain(...xs), w)))(inputs);
  gf.forEach((g, i) => expectClose(g, gp[i], tol));
}

describe('fast kernels match plain tf ops (values and gradients)', () => {
  test('matmul a·b and a·bᵀ', () => {
    const a = tf.randomNormal([37, 24], 0, 1, 'float32', 1);
    const b = tf.randomNormal([24, 19], 0, 1, 'float32', 2);
    const bt = tf.randomNormal([19, 24], 0, 1, 'float32', 3);
    compare((x, y) => fastMatMul(x as tf.Tensor2D, y as tf.Tensor2D), (x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D), [a, b]);
    compare((x, y) => fastMatMulNT(x as tf.Tensor2D, y as tf.Tensor2D), (x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, false, true), [a, bt]);
  });

  test('linear (product + bias), row sums and the blocked transpose', () => {
    const x = tf.randomNormal([40, 24], 0, 1, 'float32', 11);
    const w = tf.randomNormal([24, 12], 0, 1, 'float32', 12);
    const b = tf.randomNormal([12], 0, 1, 'float32', 13);
    compare((a, c, d) => fastLinear(a as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor1D), (a, c, d) => tf.add(tf.matMul(a as tf.Tensor2D, c as tf.Tensor2D), d), [x, w, b]);
    // both ways of forming xᵀ·dy (transpose x, or transpose dy and the result)
    const wide = tf.randomNormal([16, 40], 0, 1, 'float32', 14);
    compare((a, c, d) => fastLinear(a as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor1D), (a, c, d) => tf.add(tf.matMul(a as tf.Tensor2D, c as tf.Tensor2D), d), [tf.randomNormal([40, 16], 0, 1, 'float32', 15), wide, tf.zeros([40])]);
    expectClose(sumRows(x as tf.Tensor2D), tf.sum(x, 0));
    for (const shape of [[40, 24], [12, 5], [7, 3]] as [number, number][]) {
      const t = tf.randomNormal(shape, 0, 1, 'float32', 16);
      expect(transpose2d(t as tf.Tensor2D).arraySync()).toEqual(tf.transpose(t).arraySync());
    }
  });

  test('gelu_new and LayerNorm', () => {
    const x = tf.mul(tf.randomNormal([30, 16], 0, 1, 'float32', 17), 3);
    compare((a) => geluNewFast(a as tf.Tensor2D), (a) => geluNewPlain(a as tf.Tensor2D), [x]);
    const g = tf.randomNormal([16], 1, 0.1, 'float32', 18);
    const b = tf.randomNormal([16], 0, 0.1, 'float32', 19);
    compare((a, c, d) => layerNormFast(a as tf.Tensor2D, c as tf.Tensor1D, d as tf.Tensor1D, 1e-5), (a, c, d) => layerNormPlain(a as tf.Tensor2D, c as tf.Tensor1D, d as tf.Tensor1D, 1e-5), [x, g, b]);
  });

  test('embedding lookup with repeated ids', () => {
    const table = tf.randomNormal([11, 8], 0, 1, 'float32', 4);
    const ids = tf.tensor1d([3, 0, 3, 10, 5, 3], 'int32');
    compare((t) => fastEmbedding(t as tf.Tensor2D, ids), (t) => tf.gather(t, ids), [table]);
    expect(() => fastEmbedding(table as tf.Tensor2D, tf.tensor1d([11], 'int32'))).toThrow(/token id 11 out of range/);
  });

  test('causal attention, with and without left padding', () => {
    const B = 3, T = 7, H = 2, C = 8;
    const qkv = tf.randomNormal([B * T, 3 * C], 0, 1, 'float32', 5);
    compare((x) => causalAttentionFast(x as tf.Tensor2D, B, T, H), (x) => causalAttentionPlain(x as tf.Tensor2D, B, T, H), [qkv]);
    const mask = tf.tensor2d([[1, 1, 1, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 1]]);
    compare((x) => causalAttentionFast(x as tf.Tensor2D, B, T, H, mask), (x) => causalAttentionPlain(x as tf.Tensor2D, B, T, H, mask), [qkv]);
  });

  test('the whole GPT: logits and every parameter gradient', () => {
    const cfg: GPTConfig = { ...PRESETS.nano, nLayer: 2, nEmbd: 32, nHead: 4, nPositions: 16 };
    const m = new GPT(cfg, { seed: 2 });
    const ids = tf.tensor2d([[5, 9, 250, 3, 3, 7, 1, 0], [0, 0, 0, 12, 40, 41, 42, 43]], [2, 8], 'int32');
    const mask = tf.tensor2d([[1, 1, 1, 1, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1, 1, 1]]);
    const w = tf.randomNormal([2, 8, cfg.vocabSize], 0, 1, 'float32', 9);
    const run = (mode: 'fast' | 'plain') => {
      setKernelMode(mode);
      const logits = m.forward(ids, { attentionMask: mask });
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(m.forward(ids, { attentionMask: mask }), w)), m.variables());
      return { logits, grads: [...m.params.values()].map((v) => grads[v.name]) };
    };
    const fast = run('fast');
    const plain = run('plain');
    expectClose(fast.logits, plain.logits);
    fast.grads.forEach((g, i) => expectClose(g, plain.grads[i], 2e-4));
    m.dispose();
  });

  test('on the wasm backend the model gives the cpu backend’s logits', async () => {
    const cfg: GPTConfig = { ...PRESETS.nano, nLayer: 2, nEmbd: 64, nHead: 4, nPositions: 32 };
    const rows = [Array.from({ length: 20 }, (_, t) => (t * 37) % 256), Array.from({ length: 20 }, (_, t) => (t * 11 + 3) % 256)];
    const logitsOn = async (backend: 'cpu' | 'wasm') => {
      await initBackend({ backend });
      const m = new GPT(cfg, { seed: 5 });
      const out = m.forward(tf.tensor2d(rows, [2, 20], 'int32')).arraySync();
      m.dispose();
      return out;
    };
    const cpu = await logitsOn('cpu');
    const wasm = await logitsOn('wasm');
    expect(tf.getBackend()).toBe('wasm');
    for (let b = 0; b < 2; b++) for (let t = 0; t < 20; t++) for (let v = 0; v < cfg.vocabSize; v += 5) expect(wasm[b][t][v]).toBeCloseTo(cpu[b][t][v], 4);
  });
});
