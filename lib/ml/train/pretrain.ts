// Pretraining a from-scratch base model on plain text (nanoGPT's train.py): documents are
// tokenised, joined with <|endoftext|>, cut into blocks of blockSize + 1 tokens, and every token
// is a target. Warmup + cosine, AdamW (β2 0.95, weight decay 0.1 on matrices as nanoGPT),
// global-norm clipping, held-out loss on a slice of the blocks.
import { PretrainConfigSchema, type PretrainConfigInput } from '../../shared/stage-config';
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from '../model/gpt';
import type { Tokenizer } from '../tokenizer';
import { assertNonEmpty, type PretrainExample } from '../data/schemas';
import { Adam, clipByGlobalNorm, disposeGrads } from './optimizer';
import { learningRate } from './schedule';
import { checkStep, disposeMap, permutation, splitHoldout, type ResumeState, type TrainerCallbacks, yieldToEventLoop } from './common';
import { lmEvalLoss, lmGradients, targetTokens, type LmRow } from './lm';

export type PretrainCheckpoint = {
  step: number;
  totalSteps: number;
  model: GPT;
  /** Disposed when the callback returns. */
  optimizerState: Map<string, tf.Tensor>;
  trainerState: Record<string, never>;
  metrics: Record<string, number>;
  final: boolean;
};

export type PretrainResult = { steps: number; stopped: boolean; trainLoss: number; evalLoss: number | null };

/** The token stream cut into rows of `blockSize` inputs (each predicting the next token). */
export function pretrainRows(tok: Tokenizer, data: PretrainExample[], blockSize: number): LmRow[] {
  const stream: number[] = [];
  for (const d of data) stream.push(tok.special.bos, ...tok.encode(d.text));
  stream.push(tok.special.eos);
  const rows: LmRow[] = [];
  for (let s = 0; s + 1 < stream.length; s += blockSize) {
    const ids = stream.slice(s, s + blockSize + 1);
    if (ids.length < 2) break;
    rows.push({ inputs: ids.slice(0, -1), targets: ids.slice(1), weights: new Array<number>(ids.length - 1).fill(1) });
  }
  return rows;
}

/** One optimizer step on some blocks: what the benchmark times and what trainPretrain calls. */
export function createPretrainStep(model: GPT, config: PretrainConfigInput = {}, padId = 0) {
  const cfg = PretrainConfigSchema.parse(config);
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

export async function trainPretrain(args: {
  model: GPT;
  tokenizer: Tokenizer;
  data: PretrainExample[];
  config?: PretrainConfigInput;
  callbacks?: TrainerCallbacks<PretrainCheckpoint>;
  resume?: ResumeState;
}): Promise<PretrainResult> {
  const cfg = PretrainConfigSchema.parse(args.config ?? {});
  const { model, tokenizer: tok } = args;
  const cb = args.callbacks ?? {};
  assertNonEmpty(args.data, 'pretraining texts');
  const blockSize = Math.min(cfg.blockSize ?? model.config.nPositions, model.config.nPositions);
  const all = pretrainRows(tok, args.data, blockSize);
  const { train, heldOut } = splitHoldout(all, cfg.evalFraction, cfg.seed);
  const pad = tok.special.pad;
  const runner = createPretrainStep(model, cfg, pad);
  let step = 0;
  if (args.resume) {
    step = args.resume.step;
    if (args.resume.optimizerState) runner.optimizer.importState(args.resume.optimizerState);
  }
  // Step s reads blocks s·B … s·B + B − 1 of the concatenation of per-epoch permutations.
  const perm = new Map<number, number[]>();
  const blockAt = (k: number) => {
    const epoch = Math.floor(k / train.length);
    if (!perm.has(epoch)) perm.set(epoch, permutation(train.length, cfg.seed * 1000003 + epoch));
    return train[perm.get(epoch)![k % train.length]];
  };
  const schedule = { lr: cfg.lr, minLr: cfg.lr * cfg.minLrRatio, warmupSteps: cfg.warmupSteps, totalSteps: cfg.steps };
  let trainLoss = NaN;
  let evalLoss: number | null = null;
  let stopped = false;
  let lastMetrics: Record<string, number> = {};
  const checkpoint = async (final: boolean) => {
    if (!cb.onCheckpoint) return;
    const optimizerState = runner.optimizer.exportState();
    try {
      await cb.onCheckpoint({ step, totalSteps: cfg.steps, model, optimizerState, trainerState: {}, metrics: lastMetrics, final });
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
      const rows = Array.from({ length: cfg.batchSize }, (_, i) => blockAt(step * cfg.batchSize + i));
      const lr = learningRate(step, schedule);
      const t0 = performance.now();
      const { loss, gradNorm, tokens } = runner.step(rows, lr);
      checkStep(step + 1, { loss, grad_norm: gradNorm });
      step++;
      trainLoss = loss;
      lastMetrics = { loss, lr, grad_norm: gradNorm, tokens, tokens_per_s: (tokens / (performance.now() - t0)) * 1000 };
      if (heldOut.length && (step % cfg.evalEvery === 0 || step === cfg.steps)) {
        evalLoss = lmEvalLoss(model, heldOut, pad, cfg.microBatchSize);
        checkStep(step, { eval_loss: evalLoss });
        lastMetrics.eval_loss = evalLoss;
      }
      await cb.onStep?.({ step, totalSteps: cfg.steps, metrics: lastMetrics });
      if (step % cfg.checkpointEvery === 0 || step === cfg.steps) await checkpoint(step === cfg.steps);
    }
    if (stopped) await checkpoint(true);
  } finally {
    runner.dispose();
  }
  return { steps: step, stopped, trainLoss, evalLoss };
}
