import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { GPT } from '../model/gpt';
import type { GPTConfig } from '../model/config';
import { createTokenizer } from '../tokenizer';
import { FILES, readCheckpointMeta, type HoneMeta } from '../checkpoint';
import { RewardModel, criticFromRewardModel } from '../heads';
import { loadCritic, loadRewardModel } from './load-models';
import { saveCritic, saveLanguageModel, saveRewardModel } from './save-models';
import { rewardPipeline } from './reward';
import { RewardConfigSchema } from '../../shared/stage-config';

const CONFIG: GPTConfig = { vocabSize: 264, nPositions: 16, nEmbd: 16, nLayer: 2, nHead: 2, layerNormEpsilon: 1e-5, tokenizer: 'byte' };
const tok = createTokenizer('byte');
const hone = (stage: HoneMeta['stage']): HoneMeta => ({ stage, preset: 'test', parent: null, step: 3 });
const IDS = [
  [1, 2, 3, 4, 5, 6, 7, 8],
  [256, 258, 72, 105, 260, 259, 9, 10],
];

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(path.join(tmpdir(), 'hone-pipeline-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const values = (m: Map<string, tf.Tensor>) => new Map([...m].map(([k, t]) => [k, Array.from(t.dataSync())]));

describe('the critic checkpoint', () => {
  it('is written as GPT2ForSequenceClassification and loads back with identical weights, head, bias and values', async () => {
    const rmModel = new RewardModel(new GPT(CONFIG, { seed: 4 }), undefined, 9);
    const critic = criticFromRewardModel(rmModel, 0.37);
    const dir = path.join(root, 'critic');
    await saveCritic(dir, critic, tok, hone('value'));

    expect((await readCheckpointMeta(dir)).architecture).toBe('reward');
    const config = JSON.parse(await readFile(path.join(dir, FILES.config), 'utf8')) as { architectures: string[]; num_labels: number };
    expect(config.architectures).toEqual(['GPT2ForSequenceClassification']);
    expect(config.num_labels).toBe(1);

    const back = (await loadCritic(dir)).critic;
    expect(back.bias.dataSync()[0]).toBeCloseTo(-0.37, 6);
    expect(values(back.params())).toEqual(values(critic.params()));
    const ids = tf.tensor2d(IDS, undefined, 'int32');
    const [a, b] = [critic.values(ids), back.values(ids)];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([ids, a, b]);
    critic.dispose();
    back.dispose();
    rmModel.dispose();
  });
});

describe('loadRewardModel', () => {
  it('loads a reward model folder and refuses a language model folder', async () => {
    const rmModel = new RewardModel(new GPT(CONFIG, { seed: 2 }), undefined, 5);
    await saveRewardModel(path.join(root, 'rm'), rmModel, tok, hone('rm'));
    const back = await loadRewardModel(path.join(root, 'rm'));
    expect(Array.from(back.rm.score.dataSync())).toEqual(Array.from(rmModel.score.dataSync()));
    back.rm.dispose();
    rmModel.dispose();

    const lm = new GPT(CONFIG, { seed: 3 });
    await saveLanguageModel(path.join(root, 'lm'), lm, tok, hone('sft'));
    lm.dispose();
    await expect(loadRewardModel(path.join(root, 'lm'))).rejects.toThrow(/has no score\.weight: it is not a reward model/);
    await expect(loadCritic(path.join(root, 'lm'))).rejects.toThrow(/it is not a critic/);
  });

  it('refuses a language model as the resume point of an RM run (the worker resumes through rewardPipeline)', async () => {
    const lm = new GPT(CONFIG, { seed: 3 });
    const dir = path.join(root, 'lm-with-optimizer');
    await saveLanguageModel(dir, lm, tok, hone('sft'), new Map([['m', tf.zeros([2])]]));
    lm.dispose();
    const saved: number[] = [];
    await expect(
      rewardPipeline({
        resumeFrom: dir,
        rankings: [],
        config: RewardConfigSchema.parse({}),
        lineage: { parent: null, datasetHash: null },
        hooks: { saveResume: async (step) => void saved.push(step) },
      }),
    ).rejects.toThrow(/not a reward model/);
    expect(saved).toEqual([]);
  });
});
