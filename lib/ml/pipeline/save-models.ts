// Every way a stage writes its models. A reward model and a PPO critic are both written as
// GPT2ForSequenceClassification (architecture 'reward': config.json with num_labels 1, and a
// score.weight [1, C] checked on save and on load); the critic's score.bias is an extra tensor
// transformers ignores. A language model is GPT2LMHeadModel.
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import type { GPT } from '../model/gpt';
import type { Tokenizer } from '../tokenizer';
import { saveCheckpoint, type HoneMeta } from '../checkpoint';
import type { RewardModel, ValueModel } from '../heads';

export function saveLanguageModel(dir: string, model: GPT, tokenizer: Tokenizer, hone: HoneMeta, optimizerState?: Map<string, tf.Tensor>): Promise<void> {
  return saveCheckpoint(dir, { model, tokenizer, hone, optimizerState });
}

export function saveRewardModel(dir: string, rm: RewardModel, tokenizer: Tokenizer, hone: HoneMeta, optimizerState?: Map<string, tf.Tensor>): Promise<void> {
  return saveCheckpoint(dir, { model: rm.backbone, tokenizer, hone, extraTensors: rm.extraTensors(), optimizerState, architecture: 'reward' });
}

export function saveCritic(dir: string, critic: ValueModel, tokenizer: Tokenizer, hone: HoneMeta): Promise<void> {
  return saveCheckpoint(dir, { model: critic.backbone, tokenizer, hone, extraTensors: critic.extraTensors(), architecture: 'reward' });
}

/** The two folders of a PPO resume point. */
export type PpoFolders = { policy: string; value: string };

/** The worker's layout: `<dir>/policy` (with the shared Adam state) and `<dir>/value`. */
export const nestedPpoFolders = (dir: string): PpoFolders => ({ policy: path.join(dir, 'policy'), value: path.join(dir, 'value') });

/**
 * A PPO resume point: the critic first, then the policy with the optimizer state that covers
 * both, so a folder whose policy is complete has its critic too.
 */
export async function savePolicyAndCritic(
  folders: PpoFolders,
  s: { policy: GPT; critic: ValueModel; tokenizer: Tokenizer; policyHone: HoneMeta; criticHone: HoneMeta; optimizerState: Map<string, tf.Tensor> },
): Promise<void> {
  await saveCritic(folders.value, s.critic, s.tokenizer, s.criticHone);
  await saveLanguageModel(folders.policy, s.policy, s.tokenizer, s.policyHone, s.optimizerState);
}
