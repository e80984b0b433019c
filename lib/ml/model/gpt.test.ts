import { describe, test, expect, beforeAll, afterEach } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { testBackend } from '../train/testkit';
import { GPT } from './gpt';
import { PRESETS, parameterCount, parameterShapes, shapeOfConfig, GPT2_VOCAB_SIZE, type GPTConfig } from './config';
import { parameterCountOf, VOCAB_SIZE } from '../../shared/model-shape';
import { GPT2_VOCAB_SIZE as TOKENIZER_GPT2_VOCAB_SIZE, BYTE_VOCAB_SIZE } from '../tokenizer';
import { setKernelMode } from '../ops/mode';
import { createRng } from '../sample';

const nano = PRESETS.nano;
const tiny: GPTConfig = { ...nano, nEmbd: 32, nHead: 4, nLayer: 2, nPositions: 16 };

// On the suite's backend (wasm, or native TensorFlow in the `tensorflow` project) 'auto' runs
// that backend's own kernels (the wasm workarounds, or TensorFlow's fused ops), which these tests
// hold to what plain tf ops give; lib/ml/ops/ops.test.ts compares the wasm forms op by op on 'cpu'.
beforeAll(testBackend);
afterEach(() => setKernelMode('auto'));

function ids(rows: number[][]): tf.Tensor2D {
  return tf.tensor2d(rows, [rows.length, rows[0].length], 'int32');
}
function randomRows(B: number, T: number, V: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: B }, () => Array.from({ length: T }, () => Math.floor(rng() * V)));
}
/** Mean next-token cross-entropy. */
function lmLoss(model: GPT, x: tf.Tensor2D): tf.Scalar {
  const [B, T] = x.shape;
  const logits = tf.slice(model.forward(x), [0, 0, 0], [B, T - 1, model.config.vocabSize]);
  const targets = tf.slice(x, [0, 1], [B, T - 1]);
  const logp = tf.logSoftmax(logits);
  return tf.neg(tf.mean(tf.sum(tf.mul(logp, tf.oneHot(targets, model.config.vocabSize)), -1))) as tf.Scalar;
}

describe('GPT-2 config and parameters', () => {
  test('presets take their vocabulary from the tokenizers', () => {
    expect(GPT2_VOCAB_SIZE).toBe(TOKENIZER_GPT2_VOCAB_SIZE);
    expect(PRESETS.nano.vocabSize).toBe(BYTE_VOCAB_SIZE);
    expect(VOCAB_SIZE).toEqual({ byte: BYTE_VOCAB_SIZE, gpt2: TOKENIZER_GPT2_VOCAB_SIZE });
    for (const c of [PRESETS.nano, PRESETS.gpt2, { ...PRESETS.gpt2, nLayer: 3, nEmbd: 96, nHead: 4 }]) expect(parameterCountOf(shapeOfConfig(c))).toBe(parameterCount(c));
    expect(PRESETS.small).toMatchObject({ nLayer: 4, nEmbd: 256, nHead: 8, nPositions: 128, tokenizer: 'byte' });
  });

  test('GPT-2 124M has exactly HF gpt2 parameter count with its own 50257 vocabulary', () => {
    expect(parameterCount({ ...PRESETS.gpt2, vocabSize: 50257 })).toBe(124_439_808);
  });

  test('parameters carry HF names and [in, out] layouts', () => {
    const m = new GPT(tiny, { seed: 1 });
    const C = tiny.nEmbd;
    expect(m.params.get('wte.weight')!.shape).toEqual([tiny.vocabSize, C]);
    expect(m.params.get('wpe.weight')!.shape).toEqual([tiny.nPositions, C]);
    expect(m.params.get('h.0.attn.c_attn.weight')!.shape).toEqual([C, 3 * C]);
    expect(m.params.get('h.1.mlp.c_fc.weight')!.shape).toEqual([C, 4 * C]);
    expect(m.params.get('h.1.mlp.c_proj.weight')!.shape).toEqual([4 * C, C]);
    expect(m.params.get('ln_f.bias')!.shape).toEqual([C]);
    expect([...m.params.keys()]).toEqual(parameterShapes(tiny).map(([n]) => n));
    expect(m.variables()).toHaveLength(m.params.size);
    m.dispose();
  });

  test('init is seeded and GPT-2-scaled', () => {
    const a = new GPT(tiny, { seed: 3 });
    const b = new GPT(tiny, { seed: 3 });
    const c = new GPT(tiny, { seed: 4 });
    const w = (m: GPT, n: string) => m.params.get(n)!.dataSync();
    expect(w(a, 'wte.weight')).toEqual(w(b, 'wte.weight'));
    expect(w(a, 'wte.weight')).not.toEqual(w(c, 'wte.weight'));
    const std = (n: string) => Math.sqrt(tf.moments(a.params.get(n)!).variance.dataSync()[0]);
    expect(std('h.0.attn.c_attn.weight')).toBeCloseTo(0.02, 2);
    expect(std('h.0.mlp.c_proj.weight')).toBeCloseTo(0.02 / Math.sqrt(2 * tiny.nLayer), 2);
    expect(w(a, 'h.0.ln_1.weight').every((v) => v === 1)).toBe(true);
    expect(w(a, 'h.0.attn.c_attn.bias').every((v) => v === 0)).toBe(true);
    for (const m of [a, b, c]) m.dispose();
  });

  test('weights: missing, mis-shaped and unexpected tensors are named', () => {
    const m = new GPT(tiny, { seed: 1 });
    const weights = new Map<string, tf.Tensor>(m.params);
    weights.delete('h.1.ln_2.bias');
    expect(() => new GPT(tiny, { weights })).toThrow(/missing tensor "h\.1\.ln_2\.bias"/);
    weights.set('h.1.ln_2.bias', tf.zeros([7]));
    expect(() => new GPT(tiny, { weights })).toThrow(/"h\.1\.ln_2\.bias" has shape \[7\]/);
    weights.set('h.1.ln_2.bias', tf.zeros([tiny.nEmbd]));
    weights.set('h.9.mlp.c_fc.weight', tf.zeros([1]));
    expect(() => new GPT(tiny, { weights })).toThrow(/unexpected tensor "h\.9\.mlp\.c_fc\.weight"/);
    expect(() => new GPT({ ...tiny, nHead: 5 })).toThrow(/divisible by nHead/);
    m.dispose();
  });

  test('clone and copyFrom copy weights, not references', () => {
    const a = new GPT(tiny, { seed: 1 });
    const b = a.clone();
    const c = new GPT(tiny, { seed: 2 });
    const x = ids(randomRows(1, 8, tiny.vocabSize, 5));
    expect(b.forward(x).dataSync()).toEqual(a.forward(x).dataSync());
    a.params.get('ln_f.bias')!.assign(tf.onesLike(a.params.get('ln_f.bias')!));
    expect(b.forward(x).dataSync()).not.toEqual(a.forward(x).dataSync());
    c.copyFrom(a);
    expect(c.forward(x).dataSync()).toEqual(a.forward(x).dataSync());
    for (const m of [a, b, c]) m.dispose();
  });
});

describe('GPT-2 forward', () => {
  test('shapes of hidden, lmHead and forward', () => {
    const m = new GPT(tiny, { seed: 1 });
    const x = ids(randomRows(3, 10, tiny.vocabSize, 1));
    const h = m.hidden(x);
    expect(h.shape).toEqual([3, 10, tiny.nEmbd]);
    expect(m.lmHead(h).shape).toEqual([3, 10, tiny.vocabSize]);
    expect(m.forward(x).shape).toEqual([3, 10, tiny.vocabSize]);
    expect(() => m.forward(ids(randomRows(1, 17, tiny.vocabSize, 1)))).toThrow(/exceeds the model's context of 16/);
    m.dispose();
  });

  test('causal: future tokens do not change earlier logits', () => {
    const m = new GPT(tiny, { seed: 1 });
    const a = randomRows(1, 12, tiny.vocabSize, 2);
    const b = [a[0].map((v, t) => (t >= 7 ? (v + 11) % tiny.vocabSize : v))];
    const la = m.forward(ids(a)).arraySync()[0];
    const lb = m.forward(ids(b)).arraySync()[0];
    for (let t = 0; t < 7; t++) for (let v = 0; v < tiny.vocabSize; v += 17) expect(lb[t][v]).toBeCloseTo(la[t][v], 5);
    expect(Math.abs(lb[8][0] - la[8][0])).toBeGreaterThan(1e-6);
    m.dispose();
  });

  test('a left-padded batch gives each row the logits it has alone', () => {
    for (const mode of ['plain', 'auto'] as const) {
      setKernelMode(mode);
      const m = new GPT(tiny, { seed: 1 });
      const rows = [randomRows(1, 9, tiny.vocabSize, 3)[0], randomRows(1, 5, tiny.vocabSize, 4)[0]];
      const T = 9;
      const padded = rows.map((r) => [...new Array(T - r.length).fill(0), ...r]);
      const mask = tf.tensor2d(rows.map((r) => [...new Array(T - r.length).fill(0), ...new Array(r.length).fill(1)]));
      const batch = m.forward(ids(padded), { attentionMask: mask }).arraySync();
      rows.forEach((r, b) => {
        const alone = m.forward(ids([r])).arraySync()[0];
        const off = T - r.length;
        for (let t = 0; t < r.length; t++) for (let v = 0; v < tiny.vocabSize; v += 13) expect(batch[b][off + t][v]).toBeCloseTo(alone[t][v], 4);
      });
      m.dispose();
    }
  });

  test.each(['auto', 'plain'] as const)('KV-cache logits equal full-forward logits, prompt then token by token, with left padding (%s kernels)', (mode) => {
    setKernelMode(mode);
    const m = new GPT(tiny, { seed: 1 });
    const rows = [randomRows(1, 12, tiny.vocabSize, 6)[0], [0, 0, 0, ...randomRows(1, 9, tiny.vocabSize, 7)[0]]];
    const maskRows = [new Array(12).fill(1), [0, 0, 0, ...new Array(9).fill(1)]];
    const full = m.forward(ids(rows), { attentionMask: tf.tensor2d(maskRows) }).arraySync();
    const before = tf.memory().numTensors;
    const cache = m.createCache(2);
    const P = 5;
    const got: number[][][] = [[], []];
    tf.tidy(() => {
      const first = m.forwardCached(ids(rows.map((r) => r.slice(0, P))), cache, { mask: maskRows.map((r) => r.slice(0, P)) });
      first.arraySync().forEach((r, b) => got[b].push(...r));
      for (let t = P; t < 12; t++) {
        const step = m.forwardCached(ids(rows.map((r) => [r[t]])), cache, { mask: maskRows.map((r) => [r[t]]) });
        step.arraySync().forEach((r, b) => got[b].push(...r));
      }
    });
    expect(cache.length).toBe(12);
    for (let b = 0; b < 2; b++) for (let t = maskRows[b].indexOf(1); t < 12; t++) for (let v = 0; v < tiny.vocabSize; v += 7) expect(got[b][t][v]).toBeCloseTo(full[b][t][v], 4);
    cache.dispose();
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});

describe('GPT-2 training', () => {
  test('one Adam step changes every parameter and leaks no tensor', () => {
    const m = new GPT(tiny, { seed: 1 });
    const opt = tf.train.adam(1e-3);
    const x = ids(randomRows(2, 16, tiny.vocabSize, 8));
    const before = new Map([...m.params].map(([n, v]) => [n, v.dataSync().slice()]));
    const step = () => {
      const { value, grads } = tf.variableGrads(() => lmLoss(m, x), m.variables());
      opt.applyGradients(grads as tf.NamedTensorMap as Parameters<typeof opt.applyGradients>[0]);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step(); // the optimizer's own slots are created on the first step
    const n0 = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors).toBe(n0);
    for (const [name, v] of m.params) {
      const now = v.dataSync();
      expect(now.some((x, i) => x !== before.get(name)![i]), name).toBe(true);
    }
    opt.dispose();
    m.dispose();
  });

  test('nano overfits a tiny batch', () => {
    const m = new GPT(nano, { seed: 1 });
    const opt = tf.train.adam(1e-2);
    const x = ids(Array.from({ length: 2 }, (_, b) => Array.from({ length: 24 }, (_, t) => (b * 97 + t * 31 + t * t * 7) % 256)));
    let loss = Infinity;
    for (let i = 0; i < 60 && loss > 0.1; i++) {
      const { value, grads } = tf.variableGrads(() => lmLoss(m, x), m.variables());
      opt.applyGradients(grads as tf.NamedTensorMap as Parameters<typeof opt.applyGradients>[0]);
      loss = value.dataSync()[0];
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(loss).toBeLessThan(0.1);
    opt.dispose();
    m.dispose();
  });
});
