// Every way a stage gets its models: a fresh model of a preset, or a checkpoint folder read as
// a language model, a reward model or a PPO critic. A folder that is not what the stage needs
// is refused here, with its path, before any training starts.
import type * as tf from '@tensorflow/tfjs-core';
import { GPT } from '../model/gpt';
import { PRESETS, type GPTConfig, type PresetName } from '../model/config';
import { createTokenizer, type Tokenizer } from '../tokenizer';
import { loadCheckpoint, type HoneMeta, type LoadedCheckpoint } from '../checkpoint';
import { RewardModel, ValueModel } from '../heads';
import { disposeMap, type ResumeState } from '../train/common';

export function presetConfig(preset: string): GPTConfig {
  const c = PRESETS[preset as PresetName];
  if (!c) throw new Error(`Unknown model preset "${preset}" (presets: ${Object.keys(PRESETS).join(', ')}).`);
  return c;
}

/** A randomly initialised model of a preset and its tokenizer (the start of a base pretraining). */
export function freshModel(preset: string, seed: number): { model: GPT; tokenizer: Tokenizer } {
  const config = presetConfig(preset);
  return { model: new GPT(config, { seed }), tokenizer: createTokenizer(config.tokenizer) };
}

/** Where a stage starts when it does not resume: a checkpoint folder or a fresh preset. */
export type StartPoint = { dir: string } | { preset: string; seed: number };

async function read(dir: string, what: string, opts: { withOptimizer?: boolean }): Promise<LoadedCheckpoint> {
  try {
    return await loadCheckpoint(dir, opts);
  } catch (e) {
    throw new Error(`Could not read the ${what} at ${dir}: ${(e as Error).message}`);
  }
}

export type LoadedLanguageModel = { model: GPT; tokenizer: Tokenizer; hone: HoneMeta; optimizerState?: Map<string, tf.Tensor> };

/** A checkpoint as a language model (any head beside the backbone is dropped). */
export async function loadLanguageModel(dir: string, opts: { withOptimizer?: boolean } = {}): Promise<LoadedLanguageModel> {
  const c = await read(dir, 'checkpoint', opts);
  disposeMap(c.extraTensors);
  return { model: c.model, tokenizer: c.tokenizer, hone: c.hone, optimizerState: c.optimizerState };
}

const NO_START = 'A stage that does not resume needs a start point (a checkpoint folder or a preset).';

/** A language model checkpoint, or a fresh preset model. */
export async function loadStart(start: StartPoint | undefined): Promise<LoadedLanguageModel> {
  if (!start) throw new Error(NO_START);
  if ('dir' in start) return loadLanguageModel(start.dir);
  const { model, tokenizer } = freshModel(start.preset, start.seed);
  return { model, tokenizer, hone: { stage: 'base', preset: start.preset, parent: null, step: 0 } };
}

export type LoadedRewardModel = { rm: RewardModel; tokenizer: Tokenizer; hone: HoneMeta; optimizerState?: Map<string, tf.Tensor> };

/** A reward model checkpoint (backbone + score.weight); anything else is refused. */
export async function loadRewardModel(dir: string, opts: { withOptimizer?: boolean } = {}): Promise<LoadedRewardModel> {
  const c = await read(dir, 'reward model', opts);
  const w = c.extraTensors.get('score.weight');
  if (!w) {
    c.model.dispose();
    disposeMap(c.extraTensors);
    disposeMap(c.optimizerState);
    throw new Error(`The checkpoint at ${dir} has no score.weight: it is not a reward model.`);
  }
  const rm = new RewardModel(c.model, w);
  disposeMap(c.extraTensors);
  return { rm, tokenizer: c.tokenizer, hone: c.hone, optimizerState: c.optimizerState };
}

/**
 * The reward model an RM run starts from: the start point's backbone, with its score.weight when
 * the checkpoint has one (continuing a reward model), else a head drawn with `headSeed`.
 */
export async function loadRewardModelStart(start: StartPoint | undefined, headSeed: number): Promise<{ rm: RewardModel; tokenizer: Tokenizer }> {
  if (!start) throw new Error(NO_START);
  if ('preset' in start) {
    const { model, tokenizer } = freshModel(start.preset, start.seed);
    return { rm: new RewardModel(model, undefined, headSeed), tokenizer };
  }
  const c = await read(start.dir, 'checkpoint', {});
  const rm = new RewardModel(c.model, c.extraTensors.get('score.weight'), headSeed);
  disposeMap(c.extraTensors);
  return { rm, tokenizer: c.tokenizer };
}

/** A PPO critic checkpoint (backbone + score.weight + score.bias). */
export async function loadCritic(dir: string): Promise<{ critic: ValueModel; tokenizer: Tokenizer; hone: HoneMeta }> {
  const c = await read(dir, 'critic', {});
  const w = c.extraTensors.get('score.weight');
  if (!w) {
    c.model.dispose();
    disposeMap(c.extraTensors);
    throw new Error(`The checkpoint at ${dir} has no score.weight: it is not a critic.`);
  }
  const biasT = c.extraTensors.get('score.bias');
  const bias = biasT ? (await biasT.data())[0] : 0;
  const critic = new ValueModel(c.model, w, bias);
  disposeMap(c.extraTensors);
  return { critic, tokenizer: c.tokenizer, hone: c.hone };
}

/** What a trainer needs to continue from a checkpoint loaded with its optimizer state. */
export function resumeStateOf(c: { hone: HoneMeta; optimizerState?: Map<string, tf.Tensor> }, dir: string): ResumeState {
  if (!c.optimizerState) throw new Error(`The resume checkpoint at ${dir} has no optimizer state.`);
  return { step: c.hone.step, optimizerState: c.optimizerState, trainerState: c.hone.trainerState };
}
