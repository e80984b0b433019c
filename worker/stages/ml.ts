// The worker's glue to lib/ml: models by preset, checkpoint folders by uri, generation and
// scoring helpers shared by the stages, the sample queue and the infer queue.
import * as tf from '@tensorflow/tfjs-core';
import { GPT } from '../../lib/ml/model/gpt';
import { PRESETS, type PresetName } from '../../lib/ml/model/config';
import { createTokenizer, encodeChat, decodeAssistantReply, type ChatMessage, type Tokenizer } from '../../lib/ml/tokenizer';
import { loadCheckpoint, saveCheckpoint, type HoneMeta } from '../../lib/ml/checkpoint';
import { RewardModel, ValueModel, encodeReply, scoreSequences } from '../../lib/ml/heads';
import { sample } from '../../lib/ml/sample';
import { logprobsFromLogits } from '../../lib/ml/losses';
import { resolveUri } from '../../lib/data/training/paths';

export type { ChatMessage, Tokenizer };

export function presetConfig(preset: string) {
  const c = PRESETS[preset as PresetName];
  if (!c) throw new Error(`Unknown model preset "${preset}" (presets: ${Object.keys(PRESETS).join(', ')}).`);
  return c;
}

export function tokenizerFor(preset: string): Tokenizer {
  return createTokenizer(presetConfig(preset).tokenizer);
}

/** A fresh, randomly initialised model of a preset (the start of a base pretraining). */
export function newModel(preset: string, seed = 0): GPT {
  return new GPT(presetConfig(preset), { seed });
}

/** Loads a language model checkpoint by uri (relative to the checkpoint root). */
export async function loadLm(uri: string, opts: { withOptimizer?: boolean } = {}) {
  const dir = resolveUri(uri);
  try {
    const c = await loadCheckpoint(dir, opts);
    for (const t of c.extraTensors.values()) t.dispose();
    return c;
  } catch (e) {
    throw new Error(`Could not read the checkpoint at ${dir}: ${(e as Error).message}`);
  }
}

/** Loads a reward model checkpoint (backbone + score.weight). */
export async function loadRm(uri: string): Promise<{ rm: RewardModel; tokenizer: Tokenizer; hone: HoneMeta }> {
  const dir = resolveUri(uri);
  let c;
  try {
    c = await loadCheckpoint(dir);
  } catch (e) {
    throw new Error(`Could not read the reward model at ${dir}: ${(e as Error).message}`);
  }
  const w = c.extraTensors.get('score.weight');
  if (!w) throw new Error(`The checkpoint at ${dir} has no score.weight: it is not a reward model.`);
  const rm = new RewardModel(c.model, w);
  for (const t of c.extraTensors.values()) t.dispose();
  return { rm, tokenizer: c.tokenizer, hone: c.hone };
}

/** Loads a PPO critic (backbone + score.weight + score.bias). */
export async function loadCritic(uri: string, opts: { withOptimizer?: boolean } = {}) {
  const dir = resolveUri(uri);
  const c = await loadCheckpoint(dir, opts);
  const w = c.extraTensors.get('score.weight');
  const b = c.extraTensors.get('score.bias');
  if (!w) throw new Error(`The checkpoint at ${dir} has no score.weight: it is not a critic.`);
  const bias = b ? b.dataSync()[0] : 0;
  const critic = new ValueModel(c.model, w, bias);
  for (const t of c.extraTensors.values()) t.dispose();
  return { critic, optimizerState: c.optimizerState, hone: c.hone };
}

export async function saveLm(uri: string, model: GPT, tokenizer: Tokenizer, hone: HoneMeta, optimizerState?: Map<string, tf.Tensor>) {
  await saveCheckpoint(resolveUri(uri), { model, tokenizer, hone, optimizerState });
}

export async function saveRm(uri: string, rm: RewardModel, tokenizer: Tokenizer, hone: HoneMeta, optimizerState?: Map<string, tf.Tensor>) {
  await saveCheckpoint(resolveUri(uri), { model: rm.backbone, tokenizer, hone, extraTensors: rm.extraTensors(), optimizerState, architecture: 'reward' });
}

export async function saveCritic(uri: string, critic: ValueModel, tokenizer: Tokenizer, hone: HoneMeta) {
  await saveCheckpoint(resolveUri(uri), { model: critic.backbone, tokenizer, hone, extraTensors: critic.extraTensors() });
}

/** Lets BullMQ renew the job lock and other callbacks run between CPU-heavy pieces. */
export const yieldLoop = () => new Promise<void>((r) => setImmediate(r));

/** Postgres stores no NUL characters (a byte-level model can emit byte 0): drop them. */
export const cleanText = (s: string) => s.replace(/\u0000/g, '');

export type Generation = { text: string; ids: number[]; logprob: number; ended: boolean };

/**
 * Generates one reply per context with the KV-cached sampler, in batches, yielding between
 * batches. `onToken` (single context only) receives the text so far, for streaming.
 */
export async function generate(
  model: GPT,
  tok: Tokenizer,
  contexts: ChatMessage[][],
  opts: { maxNewTokens: number; temperature: number; topP?: number; seed?: number; batchSize?: number },
): Promise<Generation[]> {
  const out: Generation[] = [];
  const bs = opts.batchSize ?? 8;
  const ctxLen = model.config.nPositions;
  for (let i = 0; i < contexts.length; i += bs) {
    const batch = contexts.slice(i, i + bs);
    const room = Math.max(1, ctxLen - Math.min(opts.maxNewTokens, ctxLen - 8));
    const prompts = batch.map((c) => {
      const ids = encodeChat(tok, c, { addGenerationPrompt: true }).ids;
      return ids.length > room ? ids.slice(ids.length - room) : ids;
    });
    const r = sample(model, prompts, {
      maxNewTokens: opts.maxNewTokens,
      temperature: opts.temperature,
      topP: opts.topP ?? 1,
      stopTokens: [tok.special.endOfTurn, tok.special.eos],
      seed: (opts.seed ?? 0) + i,
      padTokenId: tok.special.pad,
    });
    r.tokens.forEach((ids, b) => {
      out.push({ text: cleanText(decodeAssistantReply(tok, ids)), ids, logprob: r.logProbs[b].reduce((a, x) => a + x, 0), ended: r.finished[b] });
    });
    await yieldLoop();
  }
  return out;
}

/**
 * Sum of log π(reply tokens | context) under `model` at `temperature`, per row: the reply is the
 * sampled ids (stop token included), scored with the same temperature it was sampled at.
 */
export async function replyLogprobs(model: GPT, tok: Tokenizer, contexts: ChatMessage[][], replies: number[][], temperature: number, batchSize = 8): Promise<number[]> {
  const out: number[] = [];
  const maxT = model.config.nPositions;
  for (let i = 0; i < contexts.length; i += batchSize) {
    const rows = contexts.slice(i, i + batchSize).map((c, k) => {
      const q = encodeChat(tok, c, { addGenerationPrompt: true }).ids;
      const r = replies[i + k];
      let ids = [...q, ...r];
      let start = q.length;
      if (ids.length > maxT) {
        const cut = ids.length - maxT;
        ids = ids.slice(cut);
        start = Math.max(1, start - cut);
      }
      return { ids, start };
    });
    const T = Math.max(...rows.map((r) => r.ids.length));
    const B = rows.length;
    const inputs = rows.map((r) => [...r.ids.slice(0, -1), ...new Array<number>(T - r.ids.length).fill(tok.special.pad)]);
    const targets = rows.map((r) => [...r.ids.slice(1), ...new Array<number>(T - r.ids.length).fill(tok.special.pad)]);
    const weights = rows.map((r) => Array.from({ length: T - 1 }, (_, t) => (t + 1 >= r.start && t + 1 < r.ids.length ? 1 : 0)));
    const mask = rows.map((r) => Array.from({ length: T - 1 }, (_, t) => (t < r.ids.length - 1 ? 1 : 0)));
    const lp = tf.tidy(() => {
      const logits = model.forward(tf.tensor2d(inputs, [B, T - 1], 'int32'), { attentionMask: tf.tensor2d(mask, [B, T - 1], 'int32') });
      const l = logprobsFromLogits(logits, tf.tensor2d(targets, [B, T - 1], 'int32'), temperature);
      return tf.sum(tf.mul(l, tf.tensor2d(weights, [B, T - 1])), 1);
    });
    out.push(...lp.dataSync());
    lp.dispose();
    await yieldLoop();
  }
  return out;
}

/** RM scores of (context, reply) pairs. */
export function rmScores(rm: RewardModel, tok: Tokenizer, contexts: ChatMessage[][], replies: string[]): number[] {
  if (!contexts.length) return [];
  return scoreSequences(rm, contexts.map((c, i) => encodeReply(tok, c, replies[i])), tok.special.pad);
}

export const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
