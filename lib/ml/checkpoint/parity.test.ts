/**
 * GPT-2 parity: a checkpoint written by Hugging Face transformers loads here and gives the
 * logits transformers gives.
 *
 * How the reference was produced: `python3 lib/ml/checkpoint/fixtures/make_fixture.py` with
 * real transformers 5.18.0 and torch 2.13.0 (CPU), not a re-implementation. It builds
 * GPT2LMHeadModel(GPT2Config(vocab_size=264, n_positions=32, n_embd=32, n_layer=2, n_head=4,
 * activation gelu_new, layer_norm_epsilon 1e-5)), redraws every weight from a seeded generator
 * (LayerNorm gains ≈ 1 ± 0.2, biases ± 0.1, matrices N(0, 0.15)) so that all parts of the forward
 * pass matter, saves it with save_pretrained(safe_serialization=True) (so the file has
 * transformers' own `transformer.` prefixes and no lm_head.weight), runs the float32 forward in
 * eval mode on two fixed rows of 16 token ids, and writes ids and logits (rounded to 7 decimals)
 * to gpt2-tiny-reference.json. The same weights cast by torch to float16 and bfloat16 are in
 * gpt2-tiny.{f16,bf16}.safetensors. A GPT2ForSequenceClassification reward model (num_labels 1)
 * and its scores on right-padded ids are in gpt2-tiny-rm/ and gpt2-tiny-rm-reference.json.
 *
 * The other direction (a checkpoint we write loads in transformers with our logits) needs
 * Python: fixtures/check_ours.py, driven by fixtures/write_ours.ts (see check_ours.py's header).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadCheckpoint } from './checkpoint';
import { readCheckpointFolder } from './format';
import { parseSafetensors, readSafetensorsRaw } from './safetensors';
import { TEST_BACKEND, testBackend } from '../train/testkit';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const ref = JSON.parse(readFileSync(path.join(FIXTURES, 'gpt2-tiny-reference.json'), 'utf8')) as {
  ids: number[][];
  logits: number[][][];
  wteFirst: { f32: number[]; f16: number[]; bf16: number[] };
};
const rmRef = JSON.parse(readFileSync(path.join(FIXTURES, 'gpt2-tiny-rm-reference.json'), 'utf8')) as {
  ids: number[][];
  lastIndex: number[];
  scores: number[];
};

// On the plain JS backend by default, on native TensorFlow in the `tensorflow` project.
beforeAll(async () => {
  if (TEST_BACKEND === 'tensorflow') await testBackend();
  else await tf.setBackend('cpu');
});

describe('GPT-2 parity with Hugging Face transformers', () => {
  it('loads the transformers checkpoint and reproduces its logits (atol 1e-4)', async () => {
    const { model, config, hone, tokenizer, architecture } = await loadCheckpoint(path.join(FIXTURES, 'gpt2-tiny'));
    expect(config).toEqual({ vocabSize: 264, nPositions: 32, nEmbd: 32, nLayer: 2, nHead: 4, layerNormEpsilon: 1e-5, tokenizer: 'byte' });
    expect(hone).toEqual({ stage: 'base', step: 0, parent: null });
    expect(tokenizer.kind).toBe('byte');
    expect(architecture).toBe('lm');
    const logits = model.forward(tf.tensor2d(ref.ids, undefined, 'int32'));
    expect(logits.shape).toEqual([2, 16, 264]);
    const expected = tf.tensor3d(ref.logits);
    const maxDiff = tf.max(tf.abs(tf.sub(logits, expected))).dataSync()[0];
    // The logits are O(1–10), so an absolute 1e-4 is a real check of every layer.
    expect(tf.max(tf.abs(expected)).dataSync()[0]).toBeGreaterThan(1);
    expect(maxDiff).toBeLessThan(1e-4);
    tf.dispose([logits, expected]);
    model.dispose();
  });

  it('decodes the F16 and BF16 copies exactly as torch does', async () => {
    for (const [dtype, values] of [
      ['f16', ref.wteFirst.f16],
      ['bf16', ref.wteFirst.bf16],
    ] as const) {
      const { tensors } = await readSafetensorsRaw(path.join(FIXTURES, `gpt2-tiny.${dtype}.safetensors`));
      const wte = tensors.get('transformer.wte.weight')!;
      expect(wte.dtype).toBe(dtype === 'f16' ? 'F16' : 'BF16');
      expect(Array.from(wte.data.subarray(0, 16))).toEqual(values);
    }
    const f32 = parseSafetensors(readFileSync(path.join(FIXTURES, 'gpt2-tiny', 'model.safetensors'))).tensors.get('transformer.wte.weight')!;
    expect(Array.from(f32.data.subarray(0, 16))).toEqual(ref.wteFirst.f32);
  });

  it("loads transformers' GPT2ForSequenceClassification and reproduces its scores at the last real token", async () => {
    const { model, extraTensors, architecture } = await loadCheckpoint(path.join(FIXTURES, 'gpt2-tiny-rm'));
    expect(architecture).toBe('reward');
    const score = extraTensors.get('score.weight')!;
    expect(score.shape).toEqual([1, 32]);
    // Score = hidden state after ln_f at the last real token · score.weightᵀ (HF's head, no bias).
    // The padded tail of row 1 comes after the last real token, so causal attention keeps it
    // out of that position and no attention mask is needed for this comparison.
    const ids = tf.tensor2d(rmRef.ids, undefined, 'int32');
    const hidden = model.hidden(ids); // [B, T, C], after ln_f
    const scores = rmRef.lastIndex.map((t, b) => tf.sum(tf.mul(tf.reshape(tf.slice(hidden, [b, t, 0], [1, 1, 32]), [32]), tf.reshape(score, [32]))).dataSync()[0]);
    for (let b = 0; b < scores.length; b++) expect(Math.abs(scores[b] - rmRef.scores[b])).toBeLessThan(1e-4);
    tf.dispose([ids, hidden, ...extraTensors.values()]);
    model.dispose();
  });

  it('accepts the HF names with or without the transformer. prefix and ignores lm_head', async () => {
    const loaded = await readCheckpointFolder(path.join(FIXTURES, 'gpt2-tiny'));
    expect([...loaded.weights.keys()]).toContain('h.1.attn.c_attn.weight');
    expect([...loaded.weights.keys()].some((k) => k.startsWith('transformer.'))).toBe(false);
    expect(loaded.extraTensors.size).toBe(0);
    tf.dispose([...loaded.weights.values()]);
  });
});
