// Supervised fine-tuning (InstructGPT §3.5): next-token cross-entropy on the assistant's tokens
// only, over demonstrations ([user, assistant]) and multi-turn dialogues. Length-bucketed
// batches, warmup + cosine learning rate, global-norm clipping, Adam with an explicit epsilon,
// held-out loss every `evalEvery` steps, and the best weights kept.
import { SftConfigSchema, type SftConfigInput } from '../../shared/stage-config';
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from '../model/gpt';
import type { Tokenizer } from '../tokenizer';
import { assertNonEmpty, itemName, type SftExample } from '../data/schemas';
import { Adam, clipByGlobalNorm, disposeGrads } from './optimizer';
import { learningRate } from './schedule';
import { bucketedBatches, checkStep, disposeMap, snapshot, splitHoldout, type ResumeState, type TrainerCallbacks, yieldToEventLoop } from './common';
import { chatRow, lmEvalLoss, lmGradients, targetTokens, type LmRow } from './lm';

export type SftTrainerState = { bestEvalLoss: number | null; bestStep: number | null };

/** Handed to onCheckpoint; the tensors in optimizerState are disposed when the callback returns. */
export type SftCheckpoint = {
  step: number;
  totalSteps: number;
  model: GPT;
  optimizerState: Map<string, tf.Tensor>;
  trainerState: SftTrainerState;
  metrics: Record<string, number>;
  /** True when the model holds the best held-out loss so far (save it as the best checkpoint). */
  best: boolean;
  /** True for the last checkpoint of a run (finished or stopped). */
  final: boolean;
};

export type SftResult = {
  steps: number;
  stopped: boolean;
  trainLoss: number;
  evalLoss: number | null;
  bestEvalLoss: number | null;
  bestStep: number | null;
  /** Copies of the best weights seen in this run (HF names); the caller disposes them. */
  bestWeights: Map<string, tf.Tensor> | null;
};

/** Tokenised SFT rows; throws naming the item when one has no assistant token left. */
export function sftRows(tok: Tokenizer, data: SftExample[], maxLength: number): LmRow[] {
  return data.map((e, i) => {
    const row = chatRow(tok, e.messages, maxLength);
    if (targetTokens([row]) === 0)
      throw new Error(`SFT ${itemName(e, i)} has no assistant token within ${maxLength} tokens`);
    return row;
  });
}

/**
 * One optimizer step on some rows (micro-batched, accumulated, clipped): what the benchmark
 * times and what trainSft calls.
 */
export function createSftStep(model: GPT, config: SftConfigInput = {}, padId = 0) {
  const cfg = SftConfigSchema.parse(config);
  const params = model.params;
  const optimizer = new Adam(params, { beta1: cfg.adamBeta1, beta2: cfg.adamBeta2, eps: cfg.adamEps, weightDecay: cfg.weightDecay });
  return {
    optimizer,
    step(rows: LmRow[], lr: number): { loss: number; gradNorm: number; tokens: number } {
      const tokens = targetTokens(rows);
      const { loss, grads } = lmGradients(model, params, rows, { padId, microBatchSize: cfg.microBatchSize, normalizer: tokens });
      const gradNorm = clipByGlobalNorm(grads, cfg.maxGradNorm);
      if (Number.isFinite(loss) && Number.isFinite(gradNorm)) optimizer.apply(grads, lr);
      disposeGrads(grads);
      return { loss, gradNorm, tokens };
    },
    dispose: () => optimizer.dispose(),
  };
}

export async function trainSft(args: {
  model: GPT;
  tokenizer: Tokenizer;
  data: SftExample[];
  /** Held-out conversations; without them `evalFraction` of `data` is held out. */
  evaluation?: SftExample[];
  config?: SftConfigInput;
  callbacks?: TrainerCallbacks<SftCheckpoint>;
  resume?: ResumeState;
}): Promise<SftResult> {
  const cfg = SftConfigSchema.parse(args.config ?? {});
  const { model, tokenizer: tok } = args;
  const cb = args.callbacks ?? {};
  assertNonEmpty(args.data, 'SFT conversations');
  const maxLength = Math.min(cfg.maxLength ?? model.config.nPositions, model.config.nPositions);
  const split = args.evaluation ? { train: args.data, heldOut: args.evaluation } : splitHoldout(args.data, cfg.evalFraction, cfg.seed);
  const train = sftRows(tok, split.train, maxLength);
  const heldOut = sftRows(tok, split.heldOut, maxLength);
  const pad = tok.special.pad;

  const runner = createSftStep(model, cfg, pad);
  let state: SftTrainerState = { bestEvalLoss: null, bestStep: null };
  let step = 0;
  if (args.resume) {
    step = args.resume.step;
    if (args.resume.optimizerState) runner.optimizer.importState(args.resume.optimizerState);
    if (args.resume.trainerState) state = { ...state, ...(args.resume.trainerState as SftTrainerState) };
  }

  const lengths = train.map((r) => r.inputs.length);
  const perEpoch = Math.ceil(train.length / cfg.batchSize);
  let epochCache: { epoch: number; batches: number[][] } | null = null;
  const schedule = { lr: cfg.lr, minLr: cfg.lr * cfg.minLrRatio, warmupSteps: cfg.warmupSteps, totalSteps: cfg.steps };
  let trainLoss = NaN;
  let evalLoss: number | null = null;
  let bestWeights: Map<string, tf.Tensor> | null = null;
  let stopped = false;
  let lastMetrics: Record<string, number> = {};

  const checkpoint = async (best: boolean, final: boolean) => {
    if (!cb.onCheckpoint) return;
    const optimizerState = runner.optimizer.exportState();
    try {
      await cb.onCheckpoint({ step, totalSteps: cfg.steps, model, optimizerState, trainerState: { ...state }, metrics: lastMetrics, best, final });
    } finally {
      disposeMap(optimizerState);
    }
  };

  try {
    while (step < cfg.steps) {
      await yieldToEventLoop();
      if (cb.shouldStop && (await cb.shouldStop())) {
        stopped = true;
        break;
      }
      const epoch = Math.floor(step / perEpoch);
      if (!epochCache || epochCache.epoch !== epoch)
        epochCache = { epoch, batches: bucketedBatches(lengths, cfg.batchSize, cfg.seed, epoch) };
      const rows = epochCache.batches[step % perEpoch].map((i) => train[i]);
      const lr = learningRate(step, schedule);
      const t0 = performance.now();
      const { loss, gradNorm, tokens } = runner.step(rows, lr);
      checkStep(step + 1, { loss, grad_norm: gradNorm });
      step++;
      trainLoss = loss;
      lastMetrics = { loss, lr, grad_norm: gradNorm, tokens, tokens_per_s: (tokens / (performance.now() - t0)) * 1000 };

      let best = false;
      if (heldOut.length && (step % cfg.evalEvery === 0 || step === cfg.steps)) {
        evalLoss = lmEvalLoss(model, heldOut, pad, cfg.microBatchSize);
        checkStep(step, { eval_loss: evalLoss });
        lastMetrics.eval_loss = evalLoss;
        if (state.bestEvalLoss === null || evalLoss < state.bestEvalLoss) {
          state = { bestEvalLoss: evalLoss, bestStep: step };
          disposeMap(bestWeights ?? undefined);
          bestWeights = snapshot(model.params);
          best = true;
        }
      }
      await cb.onStep?.({ step, totalSteps: cfg.steps, metrics: lastMetrics });
      if (best || step % cfg.checkpointEvery === 0 || step === cfg.steps) await checkpoint(best, step === cfg.steps);
    }
    if (stopped) await checkpoint(false, true);
  } finally {
    runner.dispose();
  }
  return { steps: step, stopped, trainLoss, evalLoss, bestEvalLoss: state.bestEvalLoss, bestStep: state.bestStep, bestWeights };
}
