// Heads on the shared GPT backbone (STYLE: one backbone, several heads).
//
//   RewardModel  backbone + scalar head read at the last real token      → r(x, y)   [B]
//   ValueModel   backbone + the same head at every position (the critic)  → V(s_t)    [B, T]
//
// The head is Hugging Face GPT2ForSequenceClassification's `score.weight` [1, C] (no bias),
// so a reward checkpoint loads in transformers. The critic adds a scalar `score.bias` (saved as
// an extra tensor of that name; HF's layout has none, so transformers ignores it) so that it
// can start from the RM's *normalised* reward: InstructGPT initialises the value function from
// the RM, and our RM scores are shifted to mean 0 on demonstrations before RL.
import * as tf from '@tensorflow/tfjs-core';
import { GPT } from './model/gpt';
import { encodeChat, type ChatMessage, type Tokenizer } from './tokenizer';

/** Index of the last position whose mask is 1, per row (−1 for an all-zero row). */
export function lastRealIndex(mask: number[][]): number[] {
  return mask.map((row) => row.lastIndexOf(1));
}

/** Seeded normal initialisation, so head initialisation is reproducible. */
function normalInit(shape: [number, number], std: number, seed: number): tf.Tensor2D {
  // Never pass 0: tf.randomNormal treats a falsy seed as "no seed" and draws from Math.random.
  return tf.randomNormal(shape, 0, std, 'float32', seed * 7919 + 104729) as tf.Tensor2D;
}

export type ForwardOpts = { attentionMask?: tf.Tensor2D; positionIds?: tf.Tensor2D };

/** Backbone + scalar head at the last real token: the reward model. */
export class RewardModel {
  readonly backbone: GPT;
  /** score.weight [1, C]. */
  readonly score: tf.Variable;

  /**
   * `scoreWeight` comes from a checkpoint's `score.weight`; without it the head is drawn from
   * N(0, 1/(C+1)) as in OpenAI's lm-human-preferences reward head.
   */
  constructor(backbone: GPT, scoreWeight?: tf.Tensor, seed = 0) {
    const C = backbone.config.nEmbd;
    this.backbone = backbone;
    if (scoreWeight && scoreWeight.size !== C)
      throw new Error(`score.weight has shape [${scoreWeight.shape}], expected [1, ${C}]`);
    const init = scoreWeight ? tf.tidy(() => tf.reshape(tf.cast(scoreWeight, 'float32'), [1, C])) : normalInit([1, C], 1 / Math.sqrt(C + 1), seed);
    this.score = tf.variable(init, true);
    if (init !== scoreWeight) init.dispose();
  }

  /** Every trainable tensor: the backbone's HF names plus `score.weight`. */
  params(): Map<string, tf.Variable> {
    return new Map([...this.backbone.params, ['score.weight', this.score]]);
  }

  /** The head as the checkpoint's extra tensors. */
  extraTensors(): Map<string, tf.Tensor> {
    return new Map([['score.weight', this.score as tf.Tensor]]);
  }

  /**
   * Reward of each row, read at `lastIndex[b]` (the last real token).   ids [B, T] int32 → [B]
   * The read is a one-hot product (the wasm backend has no gather gradient).
   */
  rewards(ids: tf.Tensor2D, lastIndex: number[], opts: ForwardOpts = {}): tf.Tensor1D {
    return tf.tidy(() => {
      const [B, T] = ids.shape;
      const h = this.backbone.hidden(ids, opts); // [B, T, C]
      const pick = tf.expandDims(tf.oneHot(tf.tensor1d(lastIndex, 'int32'), T), 2); // [B, T, 1]
      const last = tf.sum(tf.mul(h, pick), 1) as tf.Tensor2D; // [B, C]
      return tf.reshape(tf.matMul(last, this.score, false, true), [B]) as tf.Tensor1D; // [B]
    });
  }

  dispose(): void {
    this.backbone.dispose();
    this.score.dispose();
  }
}

/** Backbone + per-token scalar head: the PPO critic. */
export class ValueModel {
  readonly backbone: GPT;
  /** score.weight [1, C] */
  readonly score: tf.Variable;
  /** score.bias [1] */
  readonly bias: tf.Variable;

  constructor(backbone: GPT, scoreWeight?: tf.Tensor, bias = 0, seed = 0) {
    const C = backbone.config.nEmbd;
    this.backbone = backbone;
    if (scoreWeight && scoreWeight.size !== C)
      throw new Error(`score.weight has shape [${scoreWeight.shape}], expected [1, ${C}]`);
    // tidy: cast makes a copy that would outlive the constructor.
    const init = scoreWeight ? tf.tidy(() => tf.reshape(tf.cast(scoreWeight, 'float32'), [1, C])) : normalInit([1, C], 1 / Math.sqrt(C + 1), seed);
    this.score = tf.variable(init, true);
    if (init !== scoreWeight) init.dispose();
    const b = tf.tensor1d([bias]);
    this.bias = tf.variable(b, true);
    b.dispose();
  }

  params(): Map<string, tf.Variable> {
    return new Map([...this.backbone.params, ['score.weight', this.score], ['score.bias', this.bias]]);
  }

  extraTensors(): Map<string, tf.Tensor> {
    return new Map<string, tf.Tensor>([
      ['score.weight', this.score],
      ['score.bias', this.bias],
    ]);
  }

  /** V at every position.                                               ids [B, T] int32 → [B, T] */
  values(ids: tf.Tensor2D, opts: ForwardOpts = {}): tf.Tensor2D {
    return tf.tidy(() => this.valuesFromHidden(this.backbone.hidden(ids, opts)));
  }

  /** Head only, for callers that slice the hidden states first.                  [B, T, C] → [B, T] */
  valuesFromHidden(h: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => {
      const [B, T, C] = h.shape;
      const v = tf.matMul(tf.reshape(h, [B * T, C]), this.score, false, true); // [B·T, 1]
      return tf.add(tf.reshape(v, [B, T]), this.bias) as tf.Tensor2D;
    });
  }

  dispose(): void {
    this.backbone.dispose();
    this.score.dispose();
    this.bias.dispose();
  }
}

/**
 * The critic InstructGPT starts PPO with: a copy of the RM's backbone and head. `offset` is
 * subtracted through the bias, so the critic's first estimates match the normalised reward
 * (pass the mean that rewardNormalizer measured).
 */
export function criticFromRewardModel(rm: RewardModel, offset = 0): ValueModel {
  return new ValueModel(rm.backbone.clone(), rm.score, -offset);
}

/** Token ids of a context followed by `reply` as an assistant turn (closed by <|end|>). */
export function encodeReply(tok: Tokenizer, context: ChatMessage[], reply: string): number[] {
  return encodeChat(tok, [...context, { role: 'assistant', content: reply }]).ids;
}

/**
 * Scores token sequences with the RM in batches (right-padded, read at the last real token).
 * Returns plain numbers. Sequences longer than the model's context keep their last nPositions
 * tokens (the end is where the reward is read).
 */
export async function scoreSequences(rm: RewardModel, seqs: number[][], padId: number, batchSize = 16): Promise<number[]> {
  const out: number[] = [];
  const maxT = rm.backbone.config.nPositions;
  for (let i = 0; i < seqs.length; i += batchSize) {
    const chunk = seqs.slice(i, i + batchSize).map((s) => (s.length > maxT ? s.slice(s.length - maxT) : s));
    const T = Math.max(...chunk.map((s) => s.length));
    const ids = chunk.map((s) => [...s, ...new Array<number>(T - s.length).fill(padId)]);
    const mask = chunk.map((s) => [...new Array<number>(s.length).fill(1), ...new Array<number>(T - s.length).fill(0)]);
    const r = tf.tidy(() =>
      rm.rewards(tf.tensor2d(ids, [chunk.length, T], 'int32'), lastRealIndex(mask), {
        attentionMask: tf.tensor2d(mask, [chunk.length, T], 'int32'),
      }),
    );
    try {
      out.push(...(await r.data()));
    } finally {
      r.dispose();
    }
  }
  return out;
}

/**
 * InstructGPT normalises the RM so that labeler demonstrations score 0 on average before RL.
 * Returns the demonstrations' mean score (the offset) and a reward function for PPO that
 * scores (context, reply) with the RM minus that offset.
 */
export async function rewardNormalizer(
  rm: RewardModel,
  tok: Tokenizer,
  demonstrations: Array<{ messages: ChatMessage[] }>,
  batchSize = 16,
): Promise<{ offset: number; count: number; reward: (contexts: ChatMessage[][], responses: string[]) => Promise<number[]> }> {
  // A demonstration scores as its context plus its first assistant turn after the last user
  // turn before it (for multi-turn dialogues: the final assistant turn).
  const seqs: number[][] = [];
  for (const d of demonstrations) {
    const last = d.messages.map((m) => m.role).lastIndexOf('assistant');
    if (last < 0) continue;
    seqs.push(encodeChat(tok, d.messages.slice(0, last + 1)).ids);
  }
  if (seqs.length === 0) throw new Error('rewardNormalizer: no demonstration with an assistant turn');
  const scores = await scoreSequences(rm, seqs, tok.special.pad, batchSize);
  const offset = scores.reduce((a, b) => a + b, 0) / scores.length;
  return { offset, count: scores.length, reward: rmReward(rm, tok, offset, batchSize) };
}

/**
 * The RM as a PPO reward function: score(context + reply as an assistant turn) − offset. The
 * reply is re-encoded as text, exactly as the RM saw its training completions (a reply cut at
 * the token limit is scored as if it ended there; PPO's missingEosPenalty covers that case).
 */
export function rmReward(
  rm: RewardModel,
  tok: Tokenizer,
  offset = 0,
  batchSize = 16,
): (contexts: ChatMessage[][], responses: string[]) => Promise<number[]> {
  return async (contexts, responses) =>
    (
      await scoreSequences(
        rm,
        contexts.map((c, i) => encodeReply(tok, c, responses[i])),
        tok.special.pad,
        batchSize,
      )
    ).map((s) => s - offset);
}
