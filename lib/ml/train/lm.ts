// Next-token loss on rows of (input, target, weight) — shared by pretraining, SFT and the PPO-ptx
// term — and the one optimizer step of the two language-model trainers. A row predicts
// targets[t] from inputs[0..t]; weight 0 positions (prompts, other turns, padding) give no loss.
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from '../model/gpt';
import { maskedNll } from '../losses';
import { Adam, accumulateGrads, addScalar, clipToNorm, disposeGrads, namedGrads, squaredGlobalNorm } from './optimizer';
import { readScalars } from '../read';
import { chunks, guardActivations, padRight } from './common';
import type { SftConfig } from '../../shared/stage-config';
import { encodeChat, type ChatMessage, type Tokenizer } from '../tokenizer';

export type LmRow = { inputs: number[]; targets: number[]; weights: number[] };

/** Number of weighted target tokens of some rows. */
export function targetTokens(rows: LmRow[]): number {
  let n = 0;
  for (const r of rows) for (const w of r.weights) n += w;
  return n;
}

/** Shifts a token sequence and its per-token weights into a row (weights are per target). */
export function toRow(ids: number[], weights: number[], maxLength: number): LmRow {
  const n = Math.min(ids.length, maxLength + 1);
  return { inputs: ids.slice(0, n - 1), targets: ids.slice(1, n), weights: weights.slice(1, n) };
}

/**
 * SFT rows: the chat template's assistant mask is the weight (loss on assistant tokens and their
 * end-of-turn only). Long conversations keep their first maxLength + 1 tokens.
 */
export function chatRow(tok: Tokenizer, messages: ChatMessage[], maxLength: number): LmRow {
  const { ids, assistantMask } = encodeChat(tok, messages);
  return toRow(ids, assistantMask, maxLength);
}

function batchTensors(rows: LmRow[], padId: number) {
  const inputs = padRight(
    rows.map((r) => r.inputs),
    padId,
  );
  const T = inputs.T;
  const targets = padRight(
    rows.map((r) => r.targets),
    padId,
    T,
  ).ids;
  const weights = rows.map((r) => [...r.weights, ...new Array<number>(T - r.weights.length).fill(0)]);
  const b = rows.length;
  return {
    ids: tf.tensor2d(inputs.ids, [b, T], 'int32'),
    attentionMask: tf.tensor2d(inputs.mask, [b, T], 'int32'),
    targets: tf.tensor2d(targets, [b, T], 'int32'),
    weights: tf.tensor2d(weights, [b, T], 'float32'),
  };
}

/**
 * Gradients of the token-mean NLL over `rows`, computed in micro-batches and summed; each
 * micro-batch's loss is divided by `normalizer` (the weighted target tokens of the whole
 * optimizer batch), so the sum equals the loss of one big batch. `scale` multiplies the loss
 * (the PPO-ptx coefficient). Names are prefixed with `prefix` to match a shared optimizer.
 * The loss (unscaled) comes back as a tensor, for the step's one read.
 */
export function lmGradients(
  model: GPT,
  params: Map<string, tf.Variable>,
  rows: LmRow[],
  opts: { padId: number; microBatchSize: number; normalizer?: number; scale?: number; acc?: Map<string, tf.Tensor> },
): { loss: tf.Scalar; grads: Map<string, tf.Tensor> } {
  const normalizer = opts.normalizer ?? Math.max(1, targetTokens(rows));
  const scale = opts.scale ?? 1;
  const acc = opts.acc ?? new Map<string, tf.Tensor>();
  let loss: tf.Scalar | null = null;
  for (const micro of chunks(rows, opts.microBatchSize)) {
    const T = Math.max(1, ...micro.map((r) => r.inputs.length));
    guardActivations(model.config, micro.length, T, `a micro-batch of ${micro.length} × ${T} tokens`);
    const t = batchTensors(micro, opts.padId);
    const { value, grads } = namedGrads(params, () =>
      tf.tidy(() => {
        const logits = model.forward(t.ids, { attentionMask: t.attentionMask }); // [b, T, V]
        const nll = maskedNll(logits, t.targets, t.weights, normalizer);
        return (scale === 1 ? nll : tf.mul(nll, scale)) as tf.Scalar;
      }),
    );
    loss = addScalar(loss, scale === 1 ? value : tf.tidy(() => tf.div(value, scale) as tf.Scalar));
    if (scale !== 1) value.dispose();
    accumulateGrads(acc, grads);
    tf.dispose([t.ids, t.attentionMask, t.targets, t.weights]);
  }
  return { loss: loss ?? tf.scalar(0), grads: acc };
}

/** Token-mean NLL of rows, without gradients (one read at the end). */
export async function lmEvalLoss(model: GPT, rows: LmRow[], padId: number, microBatchSize: number): Promise<number> {
  const n = targetTokens(rows);
  if (n === 0) return NaN;
  let total: tf.Scalar | null = null;
  for (const micro of chunks(rows, microBatchSize)) {
    const t = batchTensors(micro, padId);
    const s = tf.tidy(() => maskedNll(model.forward(t.ids, { attentionMask: t.attentionMask }), t.targets, t.weights, n));
    total = addScalar(total, s);
    tf.dispose([t.ids, t.attentionMask, t.targets, t.weights]);
  }
  return (await readScalars({ total: total! })).total;
}

/** The settings an LM step reads (pretraining's and SFT's configs both carry them). */
export type LmStepSettings = Pick<SftConfig, 'microBatchSize' | 'weightDecay' | 'adamBeta1' | 'adamBeta2' | 'adamEps' | 'maxGradNorm'>;

/**
 * One optimizer step of next-token loss on some rows (micro-batched, accumulated, clipped):
 * what pretraining and SFT run and what the benchmark times. The loss and the gradient norm come
 * back in one read, before the update. A non-finite loss or norm skips the update (the loop's
 * guard then stops the run naming the step).
 */
export function createLmStep(model: GPT, settings: LmStepSettings, padId: number) {
  const params = model.params;
  const optimizer = new Adam(params, { beta1: settings.adamBeta1, beta2: settings.adamBeta2, eps: settings.adamEps, weightDecay: settings.weightDecay });
  return {
    optimizer,
    async step(rows: LmRow[], lr: number): Promise<{ loss: number; gradNorm: number; tokens: number }> {
      const tokens = targetTokens(rows);
      const { loss: lossT, grads } = lmGradients(model, params, rows, { padId, microBatchSize: settings.microBatchSize, normalizer: tokens });
      try {
        const { loss, normSq } = await readScalars({ loss: lossT, normSq: squaredGlobalNorm(grads) });
        const gradNorm = Math.sqrt(normSq);
        clipToNorm(grads, settings.maxGradNorm, gradNorm);
        if (Number.isFinite(loss) && Number.isFinite(gradNorm)) optimizer.apply(grads, lr);
        return { loss, gradNorm, tokens };
      } finally {
        disposeGrads(grads);
      }
    },
    dispose: () => optimizer.dispose(),
  };
}
