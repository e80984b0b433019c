/**
 * Hone checkpoints and exports work with stock transformers and TRL at their defaults
 * (issue #14, Interop). fixtures/trl_interop.py does the Python side:
 *  - transformers' generate() stops at <|end|> (generation_config.json), and config.json's
 *    dropout is 0, so train mode computes what eval mode computes;
 *  - the shipped chat template renders exactly as the template without {% generation %} did,
 *    and its assistant mask is encodeChat's (what TRL's assistant_only_loss trains on);
 *  - TRL RewardTrainer and DPOTrainer on the trl-preference and trl-preference-conversational
 *    exports, and SFTTrainer with assistant_only_loss=True on sft-messages, run two steps on a
 *    Hone nano checkpoint with their default configs (the exports are the golden files that
 *    lib/data/exports/golden.test.ts pins), and with max_length = n_positions on examples longer
 *    than the model's context (the setting docs/researchers.md gives).
 *
 * It needs Python with torch, transformers, trl and datasets; where they do not import, the
 * suite is skipped and says so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { GPT } from '../model/gpt';
import { createTokenizer, encodeChat, GPT2_VOCAB_SIZE, type ChatMessage, type TokenizerKind } from '../tokenizer';
import { saveCheckpoint } from './checkpoint';

const SCRIPT = path.join(import.meta.dirname, 'fixtures', 'trl_interop.py');
const GOLDEN = path.join(import.meta.dirname, '..', '..', 'data', 'exports', '__golden__');

const available = spawnSync('python3', ['-c', 'import torch, transformers, trl, datasets'], { stdio: 'ignore', timeout: 120_000 }).status === 0;
if (!available) console.warn('trl-interop: python3 with torch + transformers + trl + datasets not found; skipping the TRL and generate checks');

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(path.join(tmpdir(), 'hone-trl-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function nanoCheckpoint(kind: TokenizerKind, nPositions: number): Promise<string> {
  const vocabSize = kind === 'byte' ? 264 : GPT2_VOCAB_SIZE;
  const model = new GPT({ vocabSize, nPositions, nEmbd: 32, nLayer: 2, nHead: 4, layerNormEpsilon: 1e-5, tokenizer: kind }, { seed: 11 });
  const dir = path.join(root, `nano-${kind}-${nPositions}`);
  await saveCheckpoint(dir, { model, tokenizer: createTokenizer(kind), hone: { stage: 'sft', step: 1 } });
  model.dispose();
  return dir;
}

function runPython(args: string[]): Record<string, unknown> {
  let out: string;
  try {
    out = execFileSync('python3', [SCRIPT, ...args], {
      encoding: 'utf8',
      env: { ...process.env, HF_HUB_OFFLINE: '1', HF_DATASETS_OFFLINE: '1', TRANSFORMERS_VERBOSITY: 'error', HF_HOME: path.join(root, 'hf-home') },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`trl_interop.py ${args[0]} failed:\n${(err.stdout ?? '').slice(-2000)}\n${(err.stderr ?? '').slice(-3000)}`);
  }
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

const CONVERSATIONS: ChatMessage[][] = [
  [
    { role: 'user', content: 'What is the capital of France?' },
    { role: 'assistant', content: 'Paris.' },
  ],
  [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: "What's 2+2?" },
    { role: 'assistant', content: 'Four — naïvely 😀' },
    { role: 'user', content: 'And 3+3?' },
    { role: 'assistant', content: 'Six.\n\nDone.' },
  ],
  [{ role: 'user', content: 'Only a question, no answer yet' }],
];

describe.skipIf(!available)('Hone checkpoints and exports in transformers and TRL, at their defaults', () => {
  it('generate() stops at <|end|>, and dropout is off', async () => {
    const dir = await nanoCheckpoint('byte', 64);
    const r = runPython(['generate', dir]);
    console.log('trl-interop generate:', JSON.stringify(r));
    expect(r).toMatchObject({ ok: true, eos_token_id: [256, 260], newTokens: 1, newTokensWithEndoftextOnly: 12, dropoutMaxDiff: 0 });
  });

  it.each(['byte', 'gpt2'] as const)('%s: the chat template renders as before its {% generation %} markers and masks what Hone trains on', async (kind) => {
    const dir = await nanoCheckpoint(kind, 64);
    const tok = createTokenizer(kind);
    const cases = CONVERSATIONS.map((messages) => ({ messages, ...encodeChat(tok, messages) }));
    const file = path.join(root, `template-${kind}.json`);
    await writeFile(file, JSON.stringify(cases));
    expect(runPython(['template', dir, file])).toMatchObject({ ok: true, cases: CONVERSATIONS.length });
  });

  it("RewardTrainer, DPOTrainer and SFTTrainer(assistant_only_loss) run on Hone's exports with default configs", async () => {
    // Every golden example fits the context (the longest is 373 bytes of JSON).
    const dir = await nanoCheckpoint('byte', 256);
    const r = runPython(['trl', dir, GOLDEN]);
    console.log('trl-interop defaults:', JSON.stringify(r));
    for (const key of ['reward:trl-preference', 'reward:trl-preference-conversational', 'dpo:trl-preference', 'dpo:trl-preference-conversational', 'sft:assistant_only_loss']) {
      expect(r[key], key).toHaveLength(2);
    }
  });

  it('with max_length = n_positions, examples longer than the context train too', async () => {
    const nPositions = 48;
    const dir = await nanoCheckpoint('gpt2', nPositions);
    const exports = path.join(root, 'long-exports');
    await mkdir(exports, { recursive: true });
    const long = 'A long answer that goes on and on, well past what this model can read at once. '.repeat(8);
    const question = 'Tell me everything about rain, in detail, please.';
    for (const name of ['trl-preference', 'trl-preference-conversational', 'sft-messages']) {
      await copyFile(path.join(GOLDEN, `${name}.jsonl`), path.join(exports, `${name}.jsonl`));
    }
    const add = async (name: string, records: unknown[]) => {
      const file = path.join(exports, `${name}.jsonl`);
      // The long examples come first, so the two steps train on them.
      await writeFile(file, records.map((x) => JSON.stringify(x)).join('\n') + '\n' + (await readFile(file, 'utf8')));
    };
    await add('trl-preference', [
      { prompt: question, chosen: long, rejected: 'No.', origin: 'ranking' },
      { prompt: question, chosen: 'It falls.', rejected: long, origin: 'ranking' },
    ]);
    await add('trl-preference-conversational', [
      { prompt: [{ role: 'user', content: question }], chosen: [{ role: 'assistant', content: long }], rejected: [{ role: 'assistant', content: 'No.' }], origin: 'ranking' },
      { prompt: [{ role: 'user', content: question }], chosen: [{ role: 'assistant', content: 'It falls.' }], rejected: [{ role: 'assistant', content: long }], origin: 'ranking' },
    ]);
    await add('sft-messages', [{ messages: [{ role: 'user', content: question }, { role: 'assistant', content: long }] }]);
    expect(createTokenizer('gpt2').encode(long).length).toBeGreaterThan(nPositions);
    const r = runPython(['trl', dir, exports, '--max-length', String(nPositions)]);
    console.log('trl-interop max_length:', JSON.stringify(r));
    expect(r.ok).toBe(true);
  });
});
