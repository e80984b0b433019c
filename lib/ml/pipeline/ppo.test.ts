import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { GPT } from '../model/gpt';
import type { GPTConfig } from '../model/config';
import { createTokenizer } from '../tokenizer';
import { readCheckpointMeta } from '../checkpoint';
import { RewardModel } from '../heads';
import { PpoConfigSchema } from '../../shared/stage-config';
import { loadCritic } from './load-models';
import { saveLanguageModel, saveRewardModel, nestedPpoFolders } from './save-models';
import { ppoPipeline } from './ppo';

const CONFIG: GPTConfig = { vocabSize: 264, nPositions: 32, nEmbd: 16, nLayer: 1, nHead: 2, layerNormEpsilon: 1e-5, tokenizer: 'byte' };
const tok = createTokenizer('byte');
const PROMPTS = [
  { id: 'a', context: [{ role: 'user' as const, content: 'hi' }] },
  { id: 'b', context: [{ role: 'user' as const, content: 'a long question that does not fit the prompt budget at all' }] },
];
const config = (steps: number) => PpoConfigSchema.parse({ steps, batchSize: 2, miniBatchSize: 2, microBatchSize: 2, ppoEpochs: 1, maxNewTokens: 4, checkpointEvery: 1 });

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(path.join(tmpdir(), 'hone-ppo-pipeline-'));
  const sft = new GPT(CONFIG, { seed: 1 });
  await saveLanguageModel(path.join(root, 'sft'), sft, tok, { stage: 'sft', step: 0 });
  const rmModel = new RewardModel(sft, undefined, 2);
  await saveRewardModel(path.join(root, 'rm'), rmModel, tok, { stage: 'rm', step: 0 });
  rmModel.dispose();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ppoPipeline', () => {
  it('writes each resume point as critic (reward architecture) + policy, in the host’s layout, and resumes from it', async () => {
    for (const layout of ['worker', 'cli'] as const) {
      const folders = layout === 'worker' ? nestedPpoFolders : (dir: string) => ({ policy: dir, value: `${dir}-value` });
      const resumeDir = path.join(root, `resume-${layout}`);
      const saved: number[] = [];
      const run = (steps: number, resumeFrom?: string) =>
        ppoPipeline({
          sftDir: path.join(root, 'sft'),
          reward: { rewardModelDir: path.join(root, 'rm'), demonstrations: [{ messages: [...PROMPTS[0].context, { role: 'assistant', content: 'hello' }] }] },
          prompts: PROMPTS,
          config: config(steps),
          lineage: { preset: 'test', parent: 'sft-id', datasetHash: 'h' },
          hooks: { saveResume: async (step, write) => (saved.push(step), write(resumeDir)) },
          resumeFrom,
          folders,
          outputDir: path.join(root, `out-${layout}`),
        });
      const first = await run(1);
      expect(first.stopped).toBe(false);
      const at = folders(resumeDir);
      const value = await readCheckpointMeta(at.value);
      expect(value.architecture).toBe('reward');
      expect(value.hone).toMatchObject({ stage: 'value', step: 1, parent: 'sft-id', datasetHash: 'h' });
      expect((await readCheckpointMeta(at.policy)).hone).toMatchObject({ stage: 'policy', step: 1, trainerState: { klCoef: expect.any(Number) } });
      (await loadCritic(at.value)).critic.dispose();

      const second = await run(2, resumeDir);
      expect(second.steps).toBe(2);
      expect(saved).toEqual([1, 2]);
      const out = await readCheckpointMeta(path.join(root, `out-${layout}`));
      expect(out.architecture).toBe('lm');
      expect(out.hone.metrics).toMatchObject({ reward_offset: first.result.rewardOffset });
    }
  });

  it('refuses a reward model folder that is a language model', async () => {
    await expect(
      ppoPipeline({
        sftDir: path.join(root, 'sft'),
        reward: { rewardModelDir: path.join(root, 'sft'), demonstrations: [] },
        prompts: PROMPTS,
        config: config(1),
        lineage: { parent: null, datasetHash: null },
        hooks: { saveResume: async () => {} },
      }),
    ).rejects.toThrow(/not a reward model/);
  });
});
