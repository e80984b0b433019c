/**
 * Checkpoints we write load in Hugging Face transformers and give our outputs there.
 *
 * This saves three checkpoints with saveCheckpoint (a byte-tokenizer LM, a GPT-2-tokenizer LM
 * with the 50264-row vocabulary, a GPT2ForSequenceClassification reward model) and registers a
 * Hugging Face-style folder as a base (importBaseFolder), computes logits
 * or scores with our GPT, and runs fixtures/check_ours.py on each: transformers must load the
 * weights with nothing missing or unexpected, match our outputs within 1e-4, and (for the
 * tokenizer files) AutoTokenizer must reproduce our ids for a text and for the chat template.
 *
 * It needs Python with torch and transformers (`pip install torch transformers`); where
 * `python3 -c "import torch, transformers"` fails, the suite is skipped and says so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { GPT } from '../model/gpt';
import type { GPTConfig } from '../model/config';
import { createTokenizer, encodeChat, GPT2_VOCAB_SIZE, type ChatMessage, type TokenizerKind } from '../tokenizer';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';
import { importBaseFolder } from './base-folder';
import { writeHfGpt2Folder } from './make-hf-folder';

const SCRIPT = path.join(import.meta.dirname, 'fixtures', 'check_ours.py');

function hasTransformers(): boolean {
  const r = spawnSync('python3', ['-c', 'import torch, transformers'], { stdio: 'ignore', timeout: 60_000 });
  return r.status === 0;
}
const available = hasTransformers();
if (!available) console.warn('hf-interop: python3 with torch + transformers not found; skipping the transformers loading checks');

const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: "What's 2+2?" },
  { role: 'assistant', content: 'Four — naïvely 😀' },
];
const TEXT = "Hello world, it's Hone: naïve café 😀 日本語\n\n  spaces\tend";

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(path.join(tmpdir(), 'hone-hf-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function check(dir: string, ids: number[][], expected: unknown, kind: TokenizerKind) {
  const tok = createTokenizer(kind);
  const idsFile = path.join(root, `${path.basename(dir)}-ids.json`);
  const expFile = path.join(root, `${path.basename(dir)}-expected.json`);
  const tokFile = path.join(root, `${path.basename(dir)}-tokens.json`);
  await writeFile(idsFile, JSON.stringify(ids));
  await writeFile(expFile, JSON.stringify(expected));
  await writeFile(tokFile, JSON.stringify({ text: TEXT, ids: tok.encode(TEXT), messages: MESSAGES, chatIds: encodeChat(tok, MESSAGES).ids }));
  let out: string;
  try {
    out = execFileSync('python3', [SCRIPT, dir, idsFile, expFile, '--tokens', tokFile], {
      encoding: 'utf8',
      env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_VERBOSITY: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`check_ours.py failed:\n${err.stdout ?? ''}\n${(err.stderr ?? '').slice(-2000)}`);
  }
  const result = JSON.parse(out.trim().split('\n').at(-1)!);
  expect(result).toMatchObject({ ok: true, textIdsMatch: true, chatIdsMatch: true, decodeMatches: true });
  expect(result.maxAbsDiff).toBeLessThan(1e-4);
  return result;
}

function randomIds(B: number, T: number, maxId: number, seed: number): number[][] {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648), s % maxId);
  return Array.from({ length: B }, () => Array.from({ length: T }, next));
}

describe.skipIf(!available)('our checkpoints load in Hugging Face transformers', () => {
  it.each([
    ['byte', 264],
    ['gpt2', GPT2_VOCAB_SIZE],
  ] as const)('%s language model: same logits in GPT2LMHeadModel', async (kind, vocabSize) => {
    const config: GPTConfig = { vocabSize, nPositions: 24, nEmbd: 32, nLayer: 2, nHead: 4, layerNormEpsilon: 1e-5, tokenizer: kind };
    const model = new GPT(config, { seed: 21 });
    // Spread the weights out from the init so every layer moves the logits.
    for (const [name, v] of model.params) {
      const noise = tf.randomNormal(v.shape, 0, name.includes('ln_') ? 0.2 : 0.1, 'float32', name.length * 31);
      v.assign(tf.add(v, noise));
      noise.dispose();
    }
    const dir = path.join(root, `lm-${kind}`);
    await saveCheckpoint(dir, { model, tokenizer: createTokenizer(kind), hone: { stage: 'sft', step: 1 } });
    const ids = randomIds(2, 12, vocabSize, 5);
    const x = tf.tensor2d(ids, undefined, 'int32');
    const logits = model.forward(x);
    const result = await check(dir, ids, await logits.array(), kind);
    console.log(`hf-interop ${kind} LM:`, JSON.stringify(result));
    tf.dispose([x, logits]);
    model.dispose();
  });

  it('a registered Hugging Face base (non-preset shape, chat rows added): same logits in GPT2LMHeadModel', async () => {
    const src = path.join(root, 'hf-src');
    await writeHfGpt2Folder(src, { nLayer: 3, nEmbd: 48, nHead: 4, nPositions: 32, attnBias: true, prefix: true });
    const dir = path.join(root, 'registered');
    await importBaseFolder(src, dir, { source: 'test', name: 'registered' });
    const { model } = await loadCheckpoint(dir);
    const ids = randomIds(2, 12, GPT2_VOCAB_SIZE, 7);
    ids[0][3] = 50259; // <|assistant|>, one of the new rows
    const x = tf.tensor2d(ids, undefined, 'int32');
    const logits = model.forward(x);
    const result = await check(dir, ids, await logits.array(), 'gpt2');
    console.log('hf-interop registered base:', JSON.stringify(result));
    tf.dispose([x, logits]);
    model.dispose();
  });

  it('reward model: same scores in GPT2ForSequenceClassification', async () => {
    const config: GPTConfig = { vocabSize: 264, nPositions: 24, nEmbd: 32, nLayer: 2, nHead: 4, layerNormEpsilon: 1e-5, tokenizer: 'byte' };
    const model = new GPT(config, { seed: 22 });
    const score = tf.randomNormal([1, 32], 0, 0.5, 'float32', 9);
    const dir = path.join(root, 'rm-byte');
    await saveCheckpoint(dir, {
      model,
      tokenizer: createTokenizer('byte'),
      hone: { stage: 'rm', step: 1 },
      extraTensors: new Map([['score.weight', score]]),
      architecture: 'reward',
    });
    // Row 1 is right-padded with <|endoftext|> (the pad id): transformers reads it at index 7.
    const ids = randomIds(2, 12, 256, 9);
    for (let t = 8; t < 12; t++) ids[1][t] = 256;
    const lastIndex = [11, 7];
    const x = tf.tensor2d(ids, undefined, 'int32');
    const hidden = model.hidden(x); // [B, T, C]
    const scores = lastIndex.map((t, b) =>
      tf.tidy(() => tf.sum(tf.mul(tf.reshape(tf.slice(hidden, [b, t, 0], [1, 1, 32]), [32]), tf.reshape(score, [32]))).dataSync()[0]),
    );
    const result = await check(dir, ids, scores, 'byte');
    console.log('hf-interop reward model:', JSON.stringify(result));
    tf.dispose([x, hidden, score]);
    model.dispose();
  });
});
