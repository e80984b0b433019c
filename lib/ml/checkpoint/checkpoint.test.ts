import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { GPT } from '../model/gpt';
import type { GPTConfig } from '../model/config';
import { createTokenizer } from '../tokenizer';
import { loadCheckpoint, readCheckpointMeta, saveCheckpoint } from './checkpoint';
import { FILES, readCheckpointFolder, type HoneMeta } from './format';
import { readSafetensorsRaw, safetensorsBytes, type WritableTensor } from './safetensors';

const CONFIG: GPTConfig = { vocabSize: 264, nPositions: 16, nEmbd: 16, nLayer: 2, nHead: 2, layerNormEpsilon: 1e-5, tokenizer: 'byte' };
const HONE: HoneMeta = { stage: 'sft', preset: 'test', parent: 'ckpt-base', datasetHash: 'abc123', step: 42, metrics: { loss: 1.25 }, trainerState: { epoch: 3 } };
const IDS = [
  [1, 2, 3, 4, 5, 6, 7, 8],
  [256, 258, 72, 105, 260, 259, 9, 10],
];

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(path.join(tmpdir(), 'hone-ckpt-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function logitsOf(model: GPT): Float32Array {
  const ids = tf.tensor2d(IDS, undefined, 'int32');
  const out = model.forward(ids);
  const data = out.dataSync() as Float32Array;
  tf.dispose([ids, out]);
  return data;
}

/** Rewrites model.safetensors of a saved checkpoint through `edit` (for corrupt-file cases). */
async function editWeights(dir: string, edit: (t: Map<string, WritableTensor>) => void): Promise<void> {
  const file = path.join(dir, FILES.model);
  const raw = await readSafetensorsRaw(file);
  const tensors = new Map<string, WritableTensor>([...raw.tensors].map(([k, v]) => [k, { shape: v.shape, data: v.data }]));
  edit(tensors);
  await writeFile(file, safetensorsBytes(tensors, raw.metadata));
}

async function savedCopy(name: string, model: GPT): Promise<string> {
  const dir = path.join(root, name);
  await saveCheckpoint(dir, { model, tokenizer: createTokenizer('byte'), hone: HONE });
  return dir;
}

describe('saveCheckpoint / loadCheckpoint', () => {
  it('save → load gives identical logits, config, metadata and tokenizer', async () => {
    const model = new GPT(CONFIG, { seed: 3 });
    const dir = path.join(root, 'roundtrip');
    await saveCheckpoint(dir, { model, tokenizer: createTokenizer('byte'), hone: HONE });
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(
      ['config.json', 'generation_config.json', 'hone.json', 'hone_tokenizer.json', 'model.safetensors', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json'].sort(),
    );
    const before = tf.memory().numTensors;
    const loaded = await loadCheckpoint(dir);
    // Only the model's own variables stay alive: the loaded tensors were released.
    expect(tf.memory().numTensors - before).toBe(loaded.model.params.size);
    expect(Array.from(logitsOf(loaded.model))).toEqual(Array.from(logitsOf(model)));
    expect(loaded.config).toEqual(CONFIG);
    expect(loaded.tokenizer.kind).toBe('byte');
    expect(loaded.architecture).toBe('lm');
    expect(loaded.hone).toMatchObject(HONE);
    expect(typeof loaded.hone.createdAt).toBe('string');
    expect(loaded.optimizerState).toBeUndefined();
    expect(await readCheckpointMeta(dir)).toMatchObject({ hone: HONE, config: CONFIG, architecture: 'lm' });
    model.dispose();
    loaded.model.dispose();
  });

  it('writes an HF GPT-2 config.json and HF names in model.safetensors', async () => {
    const model = new GPT(CONFIG, { seed: 1 });
    const dir = await savedCopy('hf-names', model);
    const cfg = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8'));
    expect(cfg).toMatchObject({
      model_type: 'gpt2',
      architectures: ['GPT2LMHeadModel'],
      vocab_size: 264,
      n_positions: 16,
      n_ctx: 16,
      n_embd: 16,
      n_layer: 2,
      n_head: 2,
      layer_norm_epsilon: 1e-5,
      activation_function: 'gelu_new',
      tie_word_embeddings: true,
      bos_token_id: 256,
      eos_token_id: 256,
      hone_tokenizer: 'byte',
      // Hone trains without dropout; transformers' defaults (0.1) would train another model.
      resid_pdrop: 0,
      embd_pdrop: 0,
      attn_pdrop: 0,
      summary_first_dropout: 0,
    });
    // generate() ends a reply at <|end|> (260) as well as <|endoftext|> (256).
    expect(JSON.parse(await readFile(path.join(dir, FILES.generation), 'utf8'))).toEqual({ bos_token_id: 256, eos_token_id: [256, 260], pad_token_id: 256 });
    const raw = await readSafetensorsRaw(path.join(dir, FILES.model));
    expect(raw.metadata).toEqual({ format: 'pt' });
    expect(raw.tensors.get('wte.weight')!.shape).toEqual([264, 16]);
    expect(raw.tensors.get('h.1.attn.c_attn.weight')!.shape).toEqual([16, 48]);
    expect(raw.tensors.get('h.0.mlp.c_proj.weight')!.shape).toEqual([64, 16]);
    expect(raw.tensors.has('lm_head.weight')).toBe(false);
    model.dispose();
  });

  it('keeps optimizer state and extra tensors for resume, and writes a reward model as GPT2ForSequenceClassification', async () => {
    const model = new GPT(CONFIG, { seed: 2 });
    const score = tf.randomNormal([1, 16], 0, 1, 'float32', 5);
    const m = tf.randomNormal([16, 48], 0, 1, 'float32', 6);
    const step = tf.scalar(7, 'int32');
    const dir = path.join(root, 'rm');
    await saveCheckpoint(dir, {
      model,
      tokenizer: createTokenizer('byte'),
      hone: { ...HONE, stage: 'rm' },
      extraTensors: new Map([['score.weight', score]]),
      optimizerState: new Map<string, tf.Tensor>([
        ['adam.m.h.0.attn.c_attn.weight', m],
        ['adam.step', step],
      ]),
      architecture: 'reward',
    });
    const cfg = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8'));
    expect(cfg.architectures).toEqual(['GPT2ForSequenceClassification']);
    expect(cfg.num_labels).toBe(1);
    expect(cfg.pad_token_id).toBe(256);
    expect(existsSync(path.join(dir, FILES.generation))).toBe(false); // a reward model generates nothing
    const loaded = await loadCheckpoint(dir, { withOptimizer: true });
    expect(loaded.architecture).toBe('reward');
    expect(Array.from(loaded.extraTensors.get('score.weight')!.dataSync())).toEqual(Array.from(score.dataSync()));
    expect(Array.from(loaded.optimizerState!.get('adam.m.h.0.attn.c_attn.weight')!.dataSync())).toEqual(Array.from(m.dataSync()));
    expect(loaded.optimizerState!.get('adam.step')!.dtype).toBe('int32');
    expect(loaded.optimizerState!.get('adam.step')!.dataSync()[0]).toBe(7);
    // Without withOptimizer the state is not read.
    const light = await loadCheckpoint(dir);
    expect(light.optimizerState).toBeUndefined();
    tf.dispose([score, m, step, ...loaded.extraTensors.values(), ...loaded.optimizerState!.values(), ...light.extraTensors.values()]);
    for (const g of [model, loaded.model, light.model]) g.dispose();
  });

  it('refuses to save a reward model without score.weight, or with a tokenizer of another kind', async () => {
    const model = new GPT(CONFIG, { seed: 2 });
    await expect(saveCheckpoint(path.join(root, 'x1'), { model, tokenizer: createTokenizer('byte'), hone: HONE, architecture: 'reward' })).rejects.toThrow(
      /score\.weight/,
    );
    await expect(saveCheckpoint(path.join(root, 'x2'), { model, tokenizer: createTokenizer('gpt2'), hone: HONE })).rejects.toThrow(/tokenizer/);
    expect(await readdir(root)).not.toContain('x1');
    model.dispose();
  });

  it('replaces an existing checkpoint in place', async () => {
    const a = new GPT(CONFIG, { seed: 10 });
    const b = new GPT(CONFIG, { seed: 11 });
    const dir = await savedCopy('replace', a);
    await saveCheckpoint(dir, { model: b, tokenizer: createTokenizer('byte'), hone: { ...HONE, step: 43 } });
    const loaded = await loadCheckpoint(dir);
    expect(loaded.hone.step).toBe(43);
    expect(Array.from(logitsOf(loaded.model))).toEqual(Array.from(logitsOf(b)));
    expect((await readdir(root)).filter((n) => n.startsWith('replace'))).toEqual(['replace']);
    for (const g of [a, b, loaded.model]) g.dispose();
  });

  it('a failure in the middle of a save leaves no folder behind (and keeps the previous checkpoint)', async () => {
    const model = new GPT(CONFIG, { seed: 4 });
    const dir = path.join(root, 'atomic');
    const seen: string[] = [];
    await expect(
      saveCheckpoint(dir, { model, tokenizer: createTokenizer('byte'), hone: HONE }, {
        afterFile: (f) => {
          seen.push(f);
          if (f === FILES.config) throw new Error('disk full (simulated)');
        },
      }),
    ).rejects.toThrow(/disk full/);
    expect(seen).toEqual([FILES.model, FILES.config]);
    expect((await readdir(root)).filter((n) => n.startsWith('atomic'))).toEqual([]);

    // A real failure: a disposed optimizer tensor is only noticed after model.safetensors is written.
    const gone = tf.zeros([2]);
    gone.dispose();
    await expect(saveCheckpoint(dir, { model, tokenizer: createTokenizer('byte'), hone: HONE, optimizerState: new Map([['m', gone]]) })).rejects.toThrow(
      /tensor "m" is disposed/,
    );
    expect((await readdir(root)).filter((n) => n.startsWith('atomic'))).toEqual([]);

    // Over an existing checkpoint: the old one survives untouched.
    await saveCheckpoint(dir, { model, tokenizer: createTokenizer('byte'), hone: HONE });
    await expect(
      saveCheckpoint(dir, { model, tokenizer: createTokenizer('byte'), hone: { ...HONE, step: 99 } }, {
        afterFile: (f) => {
          if (f === FILES.hone) throw new Error('crash before rename');
        },
      }),
    ).rejects.toThrow(/crash/);
    expect((await readCheckpointMeta(dir)).hone.step).toBe(HONE.step);
    expect((await readdir(root)).filter((n) => n.startsWith('atomic'))).toEqual(['atomic']);
    model.dispose();
  });
});

describe('loading validates the checkpoint', () => {
  let dir: string;
  const model = () => new GPT(CONFIG, { seed: 8 });
  beforeAll(async () => {
    const m = model();
    dir = await savedCopy('valid', m);
    m.dispose();
  });

  async function variant(name: string, edit: (t: Map<string, WritableTensor>) => void, editConfig?: (c: Record<string, unknown>) => void) {
    const m = model();
    const d = await savedCopy(name, m);
    m.dispose();
    await editWeights(d, edit);
    if (editConfig) {
      const file = path.join(d, 'config.json');
      const cfg = JSON.parse(await readFile(file, 'utf8'));
      editConfig(cfg);
      await writeFile(file, JSON.stringify(cfg));
    }
    return d;
  }

  it('a missing tensor: names it and its expected shape', async () => {
    const d = await variant('missing', (t) => t.delete('h.1.mlp.c_fc.bias'));
    await expect(loadCheckpoint(d)).rejects.toThrow(/missing tensor "h\.1\.mlp\.c_fc\.bias" \(config\.json implies shape \[64\]\)/);
  });

  it('a mis-shaped tensor: names it and both shapes', async () => {
    const d = await variant('misshaped', (t) => t.set('h.0.attn.c_attn.weight', { shape: [48, 16], data: new Float32Array(768) }));
    await expect(loadCheckpoint(d)).rejects.toThrow(/tensor "h\.0\.attn\.c_attn\.weight" has shape \[48, 16\] but config\.json implies \[16, 48\]/);
  });

  it('a config that does not match its weights', async () => {
    const fewer = await variant('fewer-layers', () => {}, (c) => (c.n_layer = 1));
    await expect(loadCheckpoint(fewer)).rejects.toThrow(/tensor "h\.1\.[a-z_.0-9]+".*config\.json does not match the weights/);
    const wider = await variant('wider', () => {}, (c) => (c.n_embd = 32));
    await expect(loadCheckpoint(wider)).rejects.toThrow(/tensor "[a-z_.0-9]+" has shape \[.*\] but config\.json implies/);
    const gelu = await variant('relu', () => {}, (c) => (c.activation_function = 'relu'));
    await expect(loadCheckpoint(gelu)).rejects.toThrow(/activation_function "relu" is not supported/);
    const heads = await variant('heads', () => {}, (c) => (c.n_head = 3));
    await expect(loadCheckpoint(heads)).rejects.toThrow(/nEmbd \(16\) must be divisible by nHead \(3\)/);
  });

  it('a folder that is not a checkpoint', async () => {
    await expect(loadCheckpoint(path.join(root, 'nope'))).rejects.toThrow(/does not exist/);
    await expect(readCheckpointMeta(root)).rejects.toThrow(/has no config\.json/);
  });

  it('skips the attn.bias / masked_bias buffers and lm_head of older transformers files, with the transformer. prefix', async () => {
    const d = await variant('hf-old', (t) => {
      for (const [k, v] of [...t]) {
        t.delete(k);
        t.set(`transformer.${k}`, v);
      }
      t.set('transformer.h.0.attn.bias', { shape: [1, 1, 16, 16], data: new Float32Array(256).fill(1) });
      t.set('transformer.h.0.attn.masked_bias', { shape: [], data: new Float32Array([-1e4]) });
      t.set('h.1.attn.bias', { shape: [1, 1, 16, 16], data: new Int32Array(256) });
      t.set('lm_head.weight', { shape: [264, 16], data: new Float32Array(264 * 16) });
    });
    const original = await loadCheckpoint(dir);
    const loaded = await loadCheckpoint(d);
    expect(loaded.extraTensors.size).toBe(0);
    expect(Array.from(logitsOf(loaded.model))).toEqual(Array.from(logitsOf(original.model)));
    original.model.dispose();
    loaded.model.dispose();
  });

  it('grows the embedding to a larger vocabulary with the mean row (GPT-2 50257 → chat specials)', async () => {
    const loaded = await readCheckpointFolder(dir, { vocabSize: 272 });
    expect(loaded.config.vocabSize).toBe(272);
    const wte = loaded.weights.get('wte.weight')!;
    expect(wte.shape).toEqual([272, 16]);
    const mean = tf.mean(tf.slice(wte, [0, 0], [264, 16]), 0);
    const row = tf.reshape(tf.slice(wte, [270, 0], [1, 16]), [16]);
    expect(tf.max(tf.abs(tf.sub(mean, row))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([mean, row, ...loaded.weights.values()]);
    await expect(readCheckpointFolder(dir, { vocabSize: 100 })).rejects.toThrow(/no smaller/);
  });

  it('rejects a hone.json with an unknown stage', async () => {
    const d = await variant('bad-stage', () => {});
    await writeFile(path.join(d, 'hone.json'), JSON.stringify({ stage: 'dpo', step: 1 }));
    await expect(readCheckpointMeta(d)).rejects.toThrow(/stage must be one of/);
  });
});
