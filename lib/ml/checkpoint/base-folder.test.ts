// Registering a Hugging Face GPT-2-family folder: what is accepted, what it becomes, and every
// refusal leaving nothing behind.
import { access, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadCheckpoint } from './checkpoint';
import { importBaseFolder, inspectBaseFolder, sha256File } from './base-folder';
import { writeHfGpt2Folder } from './make-hf-folder';
import { readSafetensorsRaw, safetensorsBytes } from './safetensors';
import { encodeChat } from '../tokenizer';

const SHAPE = { nLayer: 3, nEmbd: 96, nHead: 4, nPositions: 128 };
let root: string;
let good: string;
let fast: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(path.join(tmpdir(), 'hone-base-'));
  good = path.join(root, 'good');
  fast = path.join(root, 'fast');
  await writeHfGpt2Folder(good, { ...SHAPE, prefix: true, attnBias: true });
  await writeHfGpt2Folder(fast, { ...SHAPE, tokenizer: 'fast', seed: 2 });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const gone = (dir: string) => access(dir).then(() => false, () => true);

/** A copy of the good folder changed by `edit`. */
async function variant(name: string, edit: (dir: string) => Promise<void>): Promise<string> {
  const dir = path.join(root, name);
  await cp(good, dir, { recursive: true });
  await edit(dir);
  return dir;
}

async function editConfig(dir: string, patch: Record<string, unknown>) {
  const file = path.join(dir, 'config.json');
  await writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), ...patch }));
}

describe('importBaseFolder', () => {
  it('stores a non-preset GPT-2-family model with its chat rows added, and it loads and runs', async () => {
    const dest = path.join(root, 'store', 'b1');
    const out = await importBaseFolder(good, dest, { source: 'test: good', name: 'tiny' });
    expect(out).toMatchObject({ shapeKey: 'gpt2-family-L3-C96-H4-T128', tokenizer: 'gpt2', resized: { from: 50257, to: 50264 }, dtypes: ['F32'] });
    expect(out.sha256).toBe(await sha256File(path.join(good, 'model.safetensors')));

    const src = await readSafetensorsRaw(path.join(good, 'model.safetensors'));
    const c = await loadCheckpoint(dest);
    expect(c.config).toMatchObject({ ...SHAPE, vocabSize: 50264, tokenizer: 'gpt2' });
    expect(c.hone).toMatchObject({ stage: 'base', preset: 'gpt2-family-L3-C96-H4-T128', step: 0, source: 'test: good', sha256: out.sha256 });
    const wte = (await c.model.params.get('wte.weight')!.data()) as Float32Array;
    const orig = src.tensors.get('transformer.wte.weight')!.data as Float32Array;
    expect(wte.subarray(0, orig.length)).toEqual(orig);
    // A new row is the mean of GPT-2's rows, column by column.
    let mean0 = 0;
    for (let r = 0; r < 50257; r++) mean0 += orig[r * 96];
    expect(wte[50259 * 96]).toBeCloseTo(mean0 / 50257, 6);
    const h2 = (await c.model.params.get('h.2.mlp.c_fc.weight')!.data()) as Float32Array;
    expect(h2).toEqual(src.tensors.get('transformer.h.2.mlp.c_fc.weight')!.data);

    const { ids } = encodeChat(c.tokenizer, [{ role: 'user', content: 'Why is the sky blue?' }], { addGenerationPrompt: true });
    const logits = c.model.forward(tf.tensor2d([ids], undefined, 'int32'));
    expect(logits.shape).toEqual([1, ids.length, 50264]);
    expect(Number.isFinite((await logits.data())[0])).toBe(true);
    c.model.dispose();
  });

  it('loads a raw Hugging Face folder with the chat rows added (the CLI trains from one directly)', async () => {
    const c = await loadCheckpoint(good);
    expect(c.config.vocabSize).toBe(50264);
    expect(c.model.params.get('wte.weight')!.shape).toEqual([50264, 96]);
    c.model.dispose();
  });

  it('accepts a tokenizer.json (fast tokenizer) and names without the transformer. prefix', async () => {
    const found = await inspectBaseFolder(fast);
    expect(found).toMatchObject({ tokenizerFiles: ['tokenizer.json'], config: { nLayer: 3, vocabSize: 50257 } });
  });

  const refusals: [string, (dir: string) => Promise<void>, RegExp][] = [
    ['a pickle instead of safetensors', async (d) => { await rm(path.join(d, 'model.safetensors')); await writeFile(path.join(d, 'pytorch_model.bin'), 'PK'); }, /pytorch_model\.bin.*pickle.*safetensors/],
    ['no config.json', (d) => rm(path.join(d, 'config.json')), /config\.json is missing/],
    ['no weights', (d) => rm(path.join(d, 'model.safetensors')), /model\.safetensors is missing/],
    ['no tokenizer', async (d) => { await rm(path.join(d, 'vocab.json')); await rm(path.join(d, 'merges.txt')); }, /No tokenizer files/],
    ['vocab.json without merges.txt', (d) => rm(path.join(d, 'merges.txt')), /merges\.txt is missing/],
    ['a wrong shape', (d) => editConfig(d, { n_positions: 64, n_ctx: 64 }), /"wpe\.weight" has shape \[128, 96\] but config\.json implies \[64, 96\]/],
    ['a layer count the weights do not have', (d) => editConfig(d, { n_layer: 4 }), /missing tensor "h\.3\.ln_1\.weight"/],
    ['a tokenizer that does not match vocab_size', (d) => editConfig(d, { vocab_size: 50304 }), /vocab_size is 50304, but the tokenizer .* defines 50257 tokens/],
    ['another architecture', (d) => editConfig(d, { model_type: 'llama' }), /model_type "llama" is not supported/],
    ['a reward model', (d) => editConfig(d, { architectures: ['GPT2ForSequenceClassification'] }), /reward model/],
    ['another vocabulary', async (d) => {
      const file = path.join(d, 'vocab.json');
      const v = JSON.parse(await readFile(file, 'utf8'));
      [v.the, v.and] = [v.and, v.the];
      await writeFile(file, JSON.stringify(v));
    }, /not GPT-2's vocabulary/],
    ['an added token where Hone puts its chat markers', (d) => writeFile(path.join(d, 'tokenizer_config.json'), JSON.stringify({ added_tokens_decoder: { '50257': { content: '[PAD]' } } })), /"\[PAD\]" at id 50257 is not supported/],
    ['integer weights', async (d) => {
      const raw = await readSafetensorsRaw(path.join(d, 'model.safetensors'));
      const t = new Map([...raw.tensors].map(([n, x]) => [n, { shape: x.shape, data: n.endsWith('ln_f.bias') ? new Int32Array(x.data.length) : x.data }]));
      await writeFile(path.join(d, 'model.safetensors'), safetensorsBytes(t, { format: 'pt' }));
    }, /"ln_f\.bias" has dtype I32, expected a float/],
  ];
  for (const [what, edit, message] of refusals) {
    it(`refuses ${what}, writing nothing`, async () => {
      const src = await variant(what.replace(/\W+/g, '-'), edit);
      const dest = path.join(root, 'store', `refused-${what.replace(/\W+/g, '-')}`);
      await expect(importBaseFolder(src, dest, { source: 'test', name: 'x' })).rejects.toThrow(message);
      expect(await gone(dest)).toBe(true);
    });
  }
});
