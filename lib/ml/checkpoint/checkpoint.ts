// Save and load a GPT with its tokenizer, metadata, heads and optimizer state. The folder
// layout, validation and atomic write live in format.ts; this file only connects them to GPT.
import type * as tf from '@tensorflow/tfjs-core';
import type { GPTConfig } from '../model/config';
import { GPT } from '../model/gpt';
import type { Tokenizer } from '../tokenizer';
import { readCheckpointFolder, readMeta, writeCheckpointFolder, type Architecture, type HoneMeta, type WriteHook } from './format';

export type SaveCheckpointInput = {
  model: GPT;
  tokenizer: Tokenizer;
  hone: HoneMeta;
  /** Heads saved beside the backbone in model.safetensors (a reward model's score.weight [1, C]). */
  extraTensors?: Map<string, tf.Tensor>;
  /** Whatever the trainer needs to resume; written to optimizer.safetensors. */
  optimizerState?: Map<string, tf.Tensor>;
  /** 'reward' writes config.json as GPT2ForSequenceClassification (needs score.weight). */
  architecture?: Architecture;
};

/** Writes a checkpoint folder atomically: `dir` either appears complete or not at all. */
export async function saveCheckpoint(dir: string, c: SaveCheckpointInput, hooks?: { afterFile?: WriteHook }): Promise<void> {
  await writeCheckpointFolder(
    dir,
    {
      config: c.model.config,
      params: c.model.params as Map<string, tf.Tensor>,
      tokenizer: c.tokenizer,
      hone: c.hone,
      extraTensors: c.extraTensors,
      optimizerState: c.optimizerState,
      architecture: c.architecture,
    },
    hooks,
  );
}

export type LoadedCheckpoint = {
  model: GPT;
  tokenizer: Tokenizer;
  hone: HoneMeta;
  config: GPTConfig;
  architecture: Architecture;
  /** Tensors of model.safetensors beside the backbone (score.weight, …); the caller disposes them. */
  extraTensors: Map<string, tf.Tensor>;
  /** optimizer.safetensors, when asked for and present; the caller disposes it. */
  optimizerState?: Map<string, tf.Tensor>;
};

/**
 * Loads a checkpoint folder (ours, or a GPT-2 one written by transformers). Missing or
 * mis-shaped tensors and configs that do not match the weights throw, naming the tensor.
 * `vocabSize` grows the embedding (see readCheckpointFolder).
 */
export async function loadCheckpoint(dir: string, opts?: { withOptimizer?: boolean; vocabSize?: number }): Promise<LoadedCheckpoint> {
  const loaded = await readCheckpointFolder(dir, opts);
  let model: GPT | undefined;
  try {
    model = new GPT(loaded.config, { weights: loaded.weights });
  } catch (e) {
    for (const t of [...loaded.extraTensors.values(), ...(loaded.optimizerState?.values() ?? [])]) t.dispose();
    throw e;
  } finally {
    // GPT copies the weights into its variables (tf.variable shares the data by reference count),
    // so the loaded tensors are released here unless GPT kept the very same objects.
    for (const [name, t] of loaded.weights) {
      if (model?.params.get(name) !== t) t.dispose();
    }
  }
  return {
    model: model!, // assigned: the constructor returned
    tokenizer: loaded.tokenizer,
    hone: loaded.hone,
    config: loaded.config,
    architecture: loaded.architecture,
    extraTensors: loaded.extraTensors,
    optimizerState: loaded.optimizerState,
  };
}

/** hone.json and config.json of a checkpoint, without reading the weights. */
export async function readCheckpointMeta(dir: string): Promise<{ hone: HoneMeta; config: GPTConfig; architecture: Architecture }> {
  const { hone, config, architecture } = await readMeta(dir);
  return { hone, config, architecture };
}
