// Scores of sampled replies: their log-probability under a policy (the evaluation's KL
// estimate) and the reward model's score of (context, reply).
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from './model/gpt';
import { encodeChat, type ChatMessage, type Tokenizer } from './tokenizer';
import { encodeReply, scoreSequences, type RewardModel } from './heads';
import { logprobsFromLogits } from './losses';
import { yieldLoop } from './yield-loop';

/**
 * Sum of log π(reply tokens | context) under `model` at `temperature`, per row: the reply is the
 * sampled ids (stop token included), scored with the same temperature it was sampled at. A row
 * longer than the context keeps its end.
 */
export async function replyLogprobs(model: GPT, tok: Tokenizer, contexts: ChatMessage[][], replies: number[][], temperature: number, batchSize = 8): Promise<number[]> {
  const out: number[] = [];
  const maxT = model.config.nPositions;
  for (let i = 0; i < contexts.length; i += batchSize) {
    const rows = contexts.slice(i, i + batchSize).map((c, k) => {
      const q = encodeChat(tok, c, { addGenerationPrompt: true }).ids;
      const r = replies[i + k];
      let ids = [...q, ...r];
      let start = q.length; // index of the first reply token
      if (ids.length > maxT) {
        const cut = ids.length - maxT;
        ids = ids.slice(cut);
        start = Math.max(1, start - cut);
      }
      return { ids, start };
    });
    const T = Math.max(...rows.map((r) => r.ids.length));
    const B = rows.length;
    const inputs = rows.map((r) => [...r.ids.slice(0, -1), ...new Array<number>(T - r.ids.length).fill(tok.special.pad)]); // [B, T-1]
    const targets = rows.map((r) => [...r.ids.slice(1), ...new Array<number>(T - r.ids.length).fill(tok.special.pad)]); // [B, T-1]
    const weights = rows.map((r) => Array.from({ length: T - 1 }, (_, t) => (t + 1 >= r.start && t + 1 < r.ids.length ? 1 : 0))); // reply targets
    const mask = rows.map((r) => Array.from({ length: T - 1 }, (_, t) => (t < r.ids.length - 1 ? 1 : 0)));
    const lp = tf.tidy(() => {
      const logits = model.forward(tf.tensor2d(inputs, [B, T - 1], 'int32'), { attentionMask: tf.tensor2d(mask, [B, T - 1], 'int32') });
      const l = logprobsFromLogits(logits, tf.tensor2d(targets, [B, T - 1], 'int32'), temperature); // [B, T-1]
      return tf.sum(tf.mul(l, tf.tensor2d(weights, [B, T - 1])), 1); // [B]
    });
    try {
      out.push(...(await lp.data()));
    } finally {
      lp.dispose();
    }
    await yieldLoop();
  }
  return out;
}

/** RM scores of (context, reply) pairs, the reply as an assistant turn. */
export async function rmScores(rm: RewardModel, tok: Tokenizer, contexts: ChatMessage[][], replies: string[]): Promise<number[]> {
  if (!contexts.length) return [];
  return scoreSequences(rm, contexts.map((c, i) => encodeReply(tok, c, replies[i])), tok.special.pad);
}

export const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
