// Supervised fine-tuning (InstructGPT §3.5): next-token cross-entropy on the assistant's tokens
// only, over demonstrations ([user, assistant]) and multi-turn dialogues. Length-bucketed
// batches, warmup + cosine learning rate, global-norm clipping, Adam with an explicit epsilon,
// held-out loss every `evalEvery` steps, and the best weights kept. The loop is train/loop.ts.
import type * as tf from '@tensorflow/tfjs-core';
import { SftConfigSchema, type SftConfigInput } from '../../shared/stage-config';
import type { GPT } from '../model/gpt';
import type { Tokenizer } from '../tokenizer';
import { assertNonEmpty, itemName, type SftExample } from '../data/schemas';
import { bucketedBatches, disposeMap, snapshot, splitHoldout, type ResumeState, type TrainerCallbacks } from './common';
import { screenSft, screenSplit, type Screen } from '../data/screen';
import { trainingLoop, loopSettings, type LoopCheckpoint } from './loop';
import { chatRow, createLmStep, lmEvalLoss, targetTokens, type LmRow } from './lm';

export type SftTrainerState = { bestEvalLoss: number | null; bestStep: number | null };

/** Handed to onCheckpoint (see LoopCheckpoint); `best`: the model holds the best held-out loss so far. */
export type SftCheckpoint = LoopCheckpoint & { model: GPT; trainerState: SftTrainerState };

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

/** Tokenised SFT rows; throws naming the item when one has no assistant token left (screen first: data/screen.ts). */
export function sftRows(tok: Tokenizer, data: SftExample[], maxLength: number): LmRow[] {
  return data.map((e, i) => {
    const row = chatRow(tok, e.messages, maxLength);
    if (targetTokens([row]) === 0)
      throw new Error(`SFT ${itemName(e, i)} has no assistant token within ${maxLength} tokens`);
    return row;
  });
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
  /** What was skipped or kept, before the first step (the stage logs it). */
  onScreened?(s: Screen<SftExample>): void | Promise<void>;
}): Promise<SftResult> {
  const cfg = SftConfigSchema.parse(args.config ?? {});
  const { model, tokenizer: tok } = args;
  assertNonEmpty(args.data, 'SFT conversations');

  // Data: conversations as rows (loss on assistant tokens), in length-bucketed batches per epoch.
  const maxLength = Math.min(cfg.maxLength ?? model.config.nPositions, model.config.nPositions);
  const split = args.evaluation ? { train: args.data, heldOut: args.evaluation } : splitHoldout(args.data, cfg.evalFraction, cfg.seed);
  // Unusable conversations are skipped (data/screen.ts), up to the setting's share.
  const usable = await screenSplit(split, (items) => screenSft(tok, items, maxLength), { maxSkipFraction: cfg.maxSkipFraction, what: 'usable SFT conversations outside the held-out share', onScreened: args.onScreened });
  const train = sftRows(tok, usable.train, maxLength);
  const heldOut = sftRows(tok, usable.heldOut, maxLength);
  const pad = tok.special.pad;
  const lengths = train.map((r) => r.inputs.length);
  const perEpoch = Math.ceil(train.length / cfg.batchSize);
  let epochBatches = { epoch: -1, batches: [] as number[][] };
  const batchOf = (step: number) => {
    const epoch = Math.floor(step / perEpoch);
    if (epochBatches.epoch !== epoch) epochBatches = { epoch, batches: bucketedBatches(lengths, cfg.batchSize, cfg.seed, epoch) };
    return epochBatches.batches[step % perEpoch].map((i) => train[i]);
  };

  // Trainer state: the best held-out loss and a copy of its weights.
  let state: SftTrainerState = { bestEvalLoss: null, bestStep: null, ...(args.resume?.trainerState as SftTrainerState | undefined) };
  let evalLoss: number | null = null;
  let bestWeights: Map<string, tf.Tensor> | null = null;
  const evaluate = async (step: number) => {
    evalLoss = await lmEvalLoss(model, heldOut, pad, cfg.microBatchSize);
    const best = Number.isFinite(evalLoss) && (state.bestEvalLoss === null || evalLoss < state.bestEvalLoss);
    if (best) {
      state = { bestEvalLoss: evalLoss, bestStep: step };
      disposeMap(bestWeights ?? undefined);
      bestWeights = snapshot(model.params);
    }
    return { metrics: { eval_loss: evalLoss }, best };
  };

  const runner = createLmStep(model, cfg, pad);
  const run = await trainingLoop<SftCheckpoint>({
    ...loopSettings(cfg),
    optimizer: runner.optimizer,
    resume: args.resume,
    async step(step, lr) {
      const { loss, gradNorm, tokens } = await runner.step(batchOf(step), lr);
      return { loss, lr, grad_norm: gradNorm, tokens };
    },
    finite: ['loss', 'grad_norm'],
    evaluation: heldOut.length ? { every: cfg.evalEvery, finite: ['eval_loss'], run: evaluate } : undefined,
    checkpoint: (c) => ({ ...c, model, trainerState: { ...state } }),
    callbacks: args.callbacks,
  });
  return { steps: run.steps, stopped: run.stopped, trainLoss: run.metrics.loss ?? NaN, evalLoss, bestEvalLoss: state.bestEvalLoss, bestStep: state.bestStep, bestWeights };
}
