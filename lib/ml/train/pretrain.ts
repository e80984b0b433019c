// Pretraining a from-scratch base model on plain text (nanoGPT's train.py): documents are
// tokenised, joined with <|endoftext|>, cut into blocks of blockSize + 1 tokens, and every token
// is a target. Warmup + cosine, AdamW (β2 0.95, weight decay 0.1 on matrices as nanoGPT),
// global-norm clipping, held-out loss on a slice of the blocks. The loop is train/loop.ts.
import { PretrainConfigSchema, type PretrainConfigInput } from '../../shared/stage-config';
import type { GPT } from '../model/gpt';
import type { Tokenizer } from '../tokenizer';
import { assertNonEmpty, type PretrainExample } from '../data/schemas';
import { splitHoldout, type ResumeState, type TrainerCallbacks } from './common';
import { batchAt, epochStream, trainingLoop, loopSettings, type LoopCheckpoint } from './loop';
import { createLmStep, lmEvalLoss, type LmRow } from './lm';

/** Handed to onCheckpoint (see LoopCheckpoint). */
export type PretrainCheckpoint = LoopCheckpoint & { model: GPT; trainerState: Record<string, never> };

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
  assertNonEmpty(args.data, 'pretraining texts');

  // Data: blocks of the whole stream; step s reads blocks s·B … s·B + B − 1 of the per-epoch permutations.
  const blockSize = Math.min(cfg.blockSize ?? model.config.nPositions, model.config.nPositions);
  const { train, heldOut } = splitHoldout(pretrainRows(tok, args.data, blockSize), cfg.evalFraction, cfg.seed);
  const blockAt = epochStream(train, cfg.seed);
  const pad = tok.special.pad;

  const runner = createLmStep(model, cfg, pad);
  let evalLoss: number | null = null;
  const run = await trainingLoop<PretrainCheckpoint>({
    ...loopSettings(cfg),
    optimizer: runner.optimizer,
    resume: args.resume,
    async step(step, lr) {
      const { loss, gradNorm, tokens } = await runner.step(batchAt(blockAt, step, cfg.batchSize), lr);
      return { loss, lr, grad_norm: gradNorm, tokens };
    },
    finite: ['loss', 'grad_norm'],
    evaluation: heldOut.length
      ? { every: cfg.evalEvery, finite: ['eval_loss'], run: async () => ({ metrics: { eval_loss: (evalLoss = await lmEvalLoss(model, heldOut, pad, cfg.microBatchSize)) } }) }
      : undefined,
    checkpoint: (c) => ({ ...c, model, trainerState: {} }),
    callbacks: args.callbacks,
  });
  return { steps: run.steps, stopped: run.stopped, trainLoss: run.metrics.loss ?? NaN, evalLoss };
}
