// The RM stage resumes through the one reward-model loader: a resume point that is a language
// model (no score.weight) is refused before training, and nothing is saved.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { GPT } from '../../lib/ml/model/gpt';
import { PRESETS } from '../../lib/ml/model/config';
import { createTokenizer } from '../../lib/ml/tokenizer';
import { saveLanguageModel } from '../../lib/ml/pipeline/save-models';
import { runRm } from './rm';
import type { StageRun } from './run';

vi.mock('../../lib/data/training/round-data', () => ({
  loadRoundData: async () => ({
    sft: [],
    sftHeldOut: [],
    rankings: [{ context: [{ role: 'user', content: 'hi' }], completions: ['a', 'b'], tiers: [[0], [1]] }],
    rankingsHeldOut: [],
    prompts: [],
    promptsHeldOut: [],
    text: [],
  }),
}));

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(path.join(tmpdir(), 'hone-worker-rm-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

it('refuses a resume point that is not a reward model', async () => {
  const lm = new GPT(PRESETS.nano, { seed: 1 });
  const resume = path.join(root, 'step-3');
  await saveLanguageModel(resume, lm, createTokenizer('byte'), { stage: 'sft', step: 3 }, new Map([['m', tf.zeros([2])]]));
  lm.dispose();
  const saveResume = vi.fn();
  const note = vi.fn();
  const run = {
    round: { id: 'r1', projectId: 'p1', snapshotId: 's1', snapshotSha: 'sha', preset: 'nano', startCheckpointId: 'c1', stages: ['sft', 'rm'], config: {} },
    row: { id: 'j1', config: {} },
    reporter: { onStep: vi.fn(), shouldStop: async () => false },
    resumeStep: 3,
    resumeUri: resume, // absolute: resolveUri keeps it
    note,
    saveResume,
  } as unknown as StageRun;
  await expect(runRm(run)).rejects.toThrow(/The checkpoint at .*step-3 has no score\.weight: it is not a reward model/);
  expect(saveResume).not.toHaveBeenCalled();
  expect(note).not.toHaveBeenCalled();
});
