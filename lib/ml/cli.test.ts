import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { GPT } from './model/gpt';
import { PRESETS } from './model/config';
import { createTokenizer } from './tokenizer';
import { saveLanguageModel } from './pipeline/save-models';
import { readCheckpointMeta } from './checkpoint';
import { readdir } from 'node:fs/promises';
import { builtinReward, main, parseArgs } from './cli';

describe('cli arguments', () => {
  it('reads flags, --config as JSON or key=value pairs', () => {
    const a = parseArgs(['--data', 'x.jsonl', '--config', 'steps=5', 'lr=1e-3', 'seed=x', '--resume', '--out', 'o']);
    expect(a.flags.get('data')).toBe('x.jsonl');
    expect(a.flags.get('resume')).toBe(true);
    expect(a.flags.get('out')).toBe('o');
    expect(a.config).toEqual({ steps: 5, lr: 1e-3, seed: 'x' });
    expect(parseArgs(['--config', '{"steps": 3}']).config).toEqual({ steps: 3 });
    expect(() => parseArgs(['data'])).toThrow(/unexpected argument/);
    expect(() => parseArgs(['--config', 'steps'])).toThrow(/key=value/);
  });

  it('has a token-frequency builtin reward', () => {
    expect(builtinReward('token-frequency:a')([], ['aab', ''], { responseIds: [], ended: [] })).toEqual([2 / 3, 0]);
    expect(() => builtinReward('length')).toThrow(/unknown builtin/);
  });
});

describe('cli reward model folders', () => {
  let root: string;
  beforeAll(async () => {
    process.env.HONE_TF_BACKEND = 'cpu';
    root = await mkdtemp(path.join(tmpdir(), 'hone-cli-'));
    const lm = new GPT(PRESETS.nano, { seed: 1 });
    // A language model with optimizer state: a resumable folder, but no reward head.
    await saveLanguageModel(path.join(root, 'lm'), lm, createTokenizer('byte'), { stage: 'sft', step: 2 }, new Map([['m', tf.zeros([2])]]));
    lm.dispose();
    await writeFile(path.join(root, 'rankings.jsonl'), `${JSON.stringify({ context: [{ role: 'user', content: 'hi' }], completions: ['a', 'b'], tiers: [[0], [1]] })}\n`);
    await writeFile(path.join(root, 'prompts.jsonl'), `${JSON.stringify({ context: [{ role: 'user', content: 'hi' }] })}\n`);
  });
  afterAll(async () => {
    delete process.env.HONE_TF_BACKEND;
    await rm(root, { recursive: true, force: true });
  });

  async function errorOf(argv: string[]): Promise<string> {
    const errors: string[] = [];
    const err = vi.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await main(argv)).toBe(1);
    } finally {
      err.mockRestore();
      log.mockRestore();
    }
    return errors.join('\n');
  }

  it('refuses a language model as --rm for ppo and as the --resume point of rm', async () => {
    const lm = path.join(root, 'lm');
    expect(await errorOf(['ppo', '--data', path.join(root, 'prompts.jsonl'), '--out', path.join(root, 'ppo'), '--from', lm, '--rm', lm])).toMatch(
      /The checkpoint at .*lm has no score\.weight: it is not a reward model/,
    );
    expect(await errorOf(['rm', '--data', path.join(root, 'rankings.jsonl'), '--out', lm, '--resume'])).toMatch(/it is not a reward model/);
  });

  it('dpo trains the policy from --from, caches the reference log-probs beside --out, and resumes reading them', async () => {
    const out = path.join(root, 'dpo');
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((m: string) => void lines.push(String(m)));
    try {
      const argv = ['dpo', '--data', path.join(root, 'rankings.jsonl'), '--out', out, '--from', path.join(root, 'lm')];
      expect(await main([...argv, '--config', 'steps=2', 'evalFraction=0', 'checkpointEvery=1'])).toBe(0);
      expect((await readCheckpointMeta(out)).hone).toMatchObject({ stage: 'policy', step: 2 });
      expect(await readdir(`${out}-ref-logps`)).toHaveLength(1);
      expect(await main([...argv, '--resume', '--config', 'steps=3', 'evalFraction=0'])).toBe(0);
      expect((await readCheckpointMeta(out)).hone).toMatchObject({ stage: 'policy', step: 3 });
    } finally {
      log.mockRestore();
    }
    expect(lines.filter((l) => l.startsWith('[dpo] reference'))).toEqual([`[dpo] reference log-probs computed and cached in ${out}-ref-logps`, `[dpo] reference log-probs read from ${out}-ref-logps`]);
    expect(lines.some((l) => /^\[dpo\] step 1\/2 loss=0\.693\d rewards\/chosen=/.test(l))).toBe(true);
  });
});
