// Direct preference optimisation (Rafailov et al. 2023) on K-wise rankings, as TRL's DPOTrainer
// with precomputed reference log-probs: the policy starts from the SFT model, the frozen SFT
// model is the reference, and the loss (losses.ts dpoLoss: sigmoid with cDPO smoothing, or IPO)
// compares the policy's and the reference's log-prob of each completion's reply tokens.
//
// As the reward model (train/reward.ts), every ranking is one batch element: its K completions
// are forwarded once, together ([N, T]), and all its non-tied pairs come from those K sums (the
// InstructGPT trick), its loss the mean over its pairs. The reference's sums are computed once,
// before the first step, by a ReferenceLogps the host supplies (the pipeline caches them), so
// only the policy is in memory while training. The loop is train/loop.ts.
import * as tf from '@tensorflow/tfjs-core';
import { DpoConfigSchema, type DpoConfig, type DpoConfigInput } from '../../shared/stage-config';
import type { GPT } from '../model/gpt';
import type { GPTConfig } from '../model/config';
import { encodeChat, type Tokenizer } from '../tokenizer';
import { encodeReply } from '../heads';
import { dpoLoss, dpoStats, logprobsFromLogits, type DpoLossSettings, type DpoStats, type RankingSlice } from '../losses';
import { assertNonEmpty, validateRanking, type RankingExample } from '../data/schemas';
import { Adam, accumulateGrads, addScalar, clipToNorm, disposeGrads, namedGrads, squaredGlobalNorm } from './optimizer';
import { readFlat } from '../read';
import { chunks, guardActivations, padRight, splitHoldout, type ResumeState, type TrainerCallbacks } from './common';
import { batchAt, epochStream, trainingLoop, loopSettings, type LoopCheckpoint } from './loop';
import { screenRankings, screenSplit, type Screen } from '../data/screen';
import { yieldLoop } from '../yield-loop';

/**
 * A ranking as token sequences (context + completion as an assistant turn), only completions that
 * appear in a tier, tiers re-indexed. replyStart[i]: index in seqs[i] of the reply's first token
 * (the reply is its content and the closing <|end|>); weight: its share in the loss.
 */
export type EncodedPreference = { seqs: number[][]; replyStart: number[]; tiers: number[][]; weight: number };

/** An encoded ranking with the reference's Σ log π_ref(reply) of each of its completions. */
export type PreferenceItem = EncodedPreference & { ref: number[] };

/**
 * Σ log π_ref(reply tokens) of every completion of the given rankings, one array per ranking in
 * the order of its seqs. Called once per run, before the first step, with the train rankings
 * followed by the held-out ones; null when `shouldStop` answered true during the pass (the run
 * then stops before its first step).
 */
export type ReferenceLogps = (rankings: EncodedPreference[], shouldStop?: () => boolean | Promise<boolean>) => Promise<number[][] | null>;

/** Handed to onCheckpoint (see LoopCheckpoint). */
export type DpoCheckpoint = LoopCheckpoint & { model: GPT; trainerState: Record<string, never> };

export type DpoResult = {
  steps: number;
  stopped: boolean;
  trainLoss: number;
  evalLoss: number | null;
  /** Held-out rewards/accuracies and rewards/margins. */
  evalAccuracy: number | null;
  evalMargin: number | null;
};

/**
 * Validates and tokenises rankings. A sequence longer than `maxLength` keeps its end (the reply)
 * and loses the start of its context, as the reward model's does (data/screen.ts counts those as
 * shortened); the first kept token is never a target.
 */
export function encodePreferences(tok: Tokenizer, data: RankingExample[], maxLength: number, offset = 0): EncodedPreference[] {
  return data.map((r, i) => {
    validateRanking(r, i + offset);
    const used = r.tiers.flat();
    const pos = new Map(used.map((c, j) => [c, j]));
    const promptLength = encodeChat(tok, r.context, { addGenerationPrompt: true }).ids.length;
    const seqs: number[][] = [];
    const replyStart: number[] = [];
    for (const c of used) {
      const ids = encodeReply(tok, r.context, r.completions[c]);
      const cut = Math.max(0, ids.length - maxLength);
      seqs.push(cut ? ids.slice(cut) : ids);
      replyStart.push(Math.max(1, promptLength - cut));
    }
    return { seqs, replyStart, tiers: r.tiers.map((t) => t.map((c) => pos.get(c)!)), weight: r.weight ?? 1 };
  });
}

/** Tokens a (context, completion) keeps: the setting, capped by the model's context. */
export function dpoMaxLength(cfg: Pick<DpoConfig, 'maxLength'>, model: Pick<GPTConfig, 'nPositions'>): number {
  return Math.min(cfg.maxLength ?? model.nPositions, model.nPositions);
}

/** Reply tokens of each completion of some rankings (what a log-prob sum covers; IPO divides by it). */
const replyTokensOf = (rankings: EncodedPreference[]) => rankings.flatMap((r) => r.seqs.map((s, i) => s.length - r.replyStart[i]));

const weightOf = (rs: EncodedPreference[]) => rs.reduce((s, r) => s + r.weight, 0);

/** The completions of some rankings as one padded batch, and where each ranking's completions sit. */
function preferenceBatch(rankings: EncodedPreference[], padId: number) {
  const seqs = rankings.flatMap((r) => r.seqs);
  const starts = rankings.flatMap((r) => r.replyStart);
  const slices: RankingSlice[] = [];
  let start = 0;
  for (const r of rankings) {
    slices.push({ start, tiers: r.tiers, weight: r.weight });
    start += r.seqs.length;
  }
  // Row i predicts seqs[i][t + 1] from seqs[i][0..t]; a target counts when it is a reply token.
  const inputs = padRight(
    seqs.map((s) => s.slice(0, -1)),
    padId,
  );
  const T = inputs.T;
  const targets = padRight(
    seqs.map((s) => s.slice(1)),
    padId,
    T,
  ).ids;
  const reply = seqs.map((s, i) => Array.from({ length: T }, (_, t) => (t + 1 >= starts[i] && t + 1 < s.length ? 1 : 0)));
  const tokens = inputs.mask.reduce((n, row) => n + row.reduce((a, b) => a + b, 0), 0);
  return { N: seqs.length, T, inputs, targets, reply, slices, tokens };
}

type PreferenceBatch = ReturnType<typeof preferenceBatch>;

/** Σ log π(reply tokens) per completion, on the gradient path.                     → [N] */
function replyLogps(model: GPT, b: PreferenceBatch): tf.Tensor1D {
  return tf.tidy(() => {
    const ids = tf.tensor2d(b.inputs.ids, [b.N, b.T], 'int32');
    const mask = tf.tensor2d(b.inputs.mask, [b.N, b.T], 'int32');
    const logits = model.forward(ids, { attentionMask: mask }); // [N, T, V]
    const lp = logprobsFromLogits(logits, tf.tensor2d(b.targets, [b.N, b.T], 'int32')); // [N, T]
    return tf.sum(tf.mul(lp, tf.tensor2d(b.reply, [b.N, b.T], 'float32')), 1) as tf.Tensor1D; // [N]
  });
}

/**
 * Σ log π(reply tokens) of every completion under `model`, without gradients, one array per
 * ranking: what the frozen reference contributes (computed once per run, or read from the cache).
 * `shouldStop` is polled between micro-batches (a long pass answers a cancel): null when it stopped.
 */
export async function sequenceLogps(model: GPT, rankings: EncodedPreference[], padId: number, microBatchSize?: number): Promise<number[][]>;
export async function sequenceLogps(model: GPT, rankings: EncodedPreference[], padId: number, microBatchSize: number, shouldStop?: () => boolean | Promise<boolean>): Promise<number[][] | null>;
export async function sequenceLogps(model: GPT, rankings: EncodedPreference[], padId: number, microBatchSize = 4, shouldStop?: () => boolean | Promise<boolean>): Promise<number[][] | null> {
  const out: number[][] = [];
  for (const micro of chunks(rankings, microBatchSize)) {
    if (shouldStop && (await shouldStop())) return null;
    const b = preferenceBatch(micro, padId);
    // No backward here, but the logits and their log-softmax are as large as in a training step.
    guardActivations(model.config, b.N, b.T, `${micro.length} rankings (${b.N} completions × ${b.T} tokens) of the reference pass`);
    const lp = replyLogps(model, b);
    const [values] = await readFlat([lp]); // readFlat disposes what it reads
    let k = 0;
    for (const r of micro) out.push(r.seqs.map(() => values[k++]));
    await yieldLoop();
  }
  return out;
}

/** The reference's sums attached to their rankings, checked (one per completion, all finite). */
export function withReference(rankings: EncodedPreference[], refs: number[][]): PreferenceItem[] {
  if (refs.length !== rankings.length) throw new Error(`reference log-probs for ${refs.length} rankings, expected ${rankings.length}`);
  return rankings.map((r, i) => {
    const ref = refs[i];
    if (!Array.isArray(ref) || ref.length !== r.seqs.length) throw new Error(`reference log-probs of ranking ${i}: ${Array.isArray(ref) ? ref.length : 'none'} for ${r.seqs.length} completions`);
    if (!ref.every(Number.isFinite)) throw new Error(`reference log-probs of ranking ${i} are not finite (${ref.join(', ')})`);
    return { ...r, ref };
  });
}

const lossSettings = (cfg: DpoConfig): DpoLossSettings => ({ beta: cfg.beta, lossType: cfg.lossType, labelSmoothing: cfg.labelSmoothing });

/** The settings a DPO step reads. */
export type DpoStepSettings = Pick<DpoConfig, 'microBatchSize' | 'weightDecay' | 'adamBeta1' | 'adamBeta2' | 'adamEps' | 'maxGradNorm' | 'beta' | 'lossType' | 'labelSmoothing'>;

/**
 * One optimizer step on some rankings (micro-batched, gradients accumulated, clipped, Adam):
 * what the benchmark times. The loss, the gradient norm and every completion's log-prob sum (for
 * TRL's statistics) come back in one read, before the update; a non-finite loss or norm skips the
 * update (the loop's guard then stops the run naming the step).
 */
export function createDpoStep(model: GPT, config: DpoConfigInput | DpoStepSettings = {}, padId = 0) {
  const cfg = DpoConfigSchema.parse(config);
  const settings = lossSettings(cfg);
  const params = model.params;
  const optimizer = new Adam(params, { beta1: cfg.adamBeta1, beta2: cfg.adamBeta2, eps: cfg.adamEps, weightDecay: cfg.weightDecay });
  return {
    optimizer,
    async step(items: PreferenceItem[], lr: number): Promise<{ loss: number; gradNorm: number; stats: DpoStats; tokens: number }> {
      const acc = new Map<string, tf.Tensor>();
      let lossT: tf.Scalar | null = null;
      let tokens = 0;
      const logpsT: tf.Tensor[] = [];
      const slices: RankingSlice[] = [];
      let offset = 0;
      try {
        for (const micro of chunks(items, cfg.microBatchSize)) {
          const b = preferenceBatch(micro, padId);
          guardActivations(model.config, b.N, b.T, `${micro.length} rankings (${b.N} completions × ${b.T} tokens)`);
          tokens += b.tokens;
          const ref = micro.flatMap((r) => r.ref);
          const lengths = replyTokensOf(micro);
          const share = weightOf(micro) / weightOf(items); // weighted mean over the rankings of the whole batch
          const { value, grads } = namedGrads(params, () =>
            tf.tidy(() => {
              const lp = replyLogps(model, b); // [N]
              logpsT.push(tf.keep(tf.clone(lp))); // read with the loss, after the step
              return tf.mul(dpoLoss(lp, ref, b.slices, settings, lengths), share) as tf.Scalar;
            }),
          );
          slices.push(...b.slices.map((s) => ({ start: s.start + offset, tiers: s.tiers })));
          offset += b.N;
          lossT = addScalar(lossT, value);
          accumulateGrads(acc, grads);
        }
        const [lossV, normSqV, ...parts] = await readFlat([lossT!, squaredGlobalNorm(acc), ...logpsT]);
        const logps = parts.flatMap((x) => [...x]);
        const loss = lossV[0];
        const gradNorm = Math.sqrt(normSqV[0]);
        clipToNorm(acc, cfg.maxGradNorm, gradNorm);
        if (Number.isFinite(loss) && Number.isFinite(gradNorm)) optimizer.apply(acc, lr);
        return { loss, gradNorm, stats: dpoStats(logps, items.flatMap((r) => r.ref), slices, cfg.beta), tokens };
      } finally {
        tf.dispose(logpsT);
        (lossT as tf.Scalar | null)?.dispose(); // read tensors are disposed already (a no-op then)
        disposeGrads(acc);
      }
    },
    dispose: () => optimizer.dispose(),
  };
}

export type DpoEvaluation = DpoStats & { loss: number };

/** Held-out DPO loss and TRL's statistics, without gradients (one read at the end). */
export async function evaluateDpo(model: GPT, items: PreferenceItem[], padId: number, config: DpoConfigInput | DpoStepSettings = {}): Promise<DpoEvaluation> {
  const cfg = DpoConfigSchema.parse(config);
  const settings = lossSettings(cfg);
  const logpsT: tf.Tensor[] = [];
  const slices: RankingSlice[] = [];
  let lossSum: tf.Scalar | null = null;
  let counted = 0;
  let offset = 0;
  for (const micro of chunks(items, cfg.microBatchSize)) {
    const b = preferenceBatch(micro, padId);
    const ref = micro.flatMap((r) => r.ref);
    const lengths = replyTokensOf(micro);
    const [lp, l] = tf.tidy(() => {
      const lp = replyLogps(model, b);
      return [lp, tf.mul(dpoLoss(lp, ref, b.slices, settings, lengths), weightOf(micro)) as tf.Scalar];
    });
    logpsT.push(lp);
    slices.push(...b.slices.map((s) => ({ start: s.start + offset, tiers: s.tiers })));
    offset += b.N;
    lossSum = addScalar(lossSum, l);
    counted += weightOf(micro);
  }
  const [lossV, ...parts] = await readFlat([lossSum ?? tf.scalar(NaN), ...logpsT]);
  const stats = dpoStats(
    parts.flatMap((x) => [...x]),
    items.flatMap((r) => r.ref),
    slices,
    cfg.beta,
  );
  return { ...stats, loss: counted > 0 ? lossV[0] / counted : NaN };
}

export async function trainDpo(args: {
  /** The policy: starts as (a copy of) the reference and is trained in place. */
  model: GPT;
  tokenizer: Tokenizer;
  /** Σ log π_ref of the completions, asked for once before the first step. */
  reference: ReferenceLogps;
  data: RankingExample[];
  /** Held-out rankings; without them `evalFraction` of `data` is held out. */
  evaluation?: RankingExample[];
  config?: DpoConfigInput;
  callbacks?: TrainerCallbacks<DpoCheckpoint>;
  resume?: ResumeState;
  /** What was skipped, kept or shortened, before the reference pass and the first step. */
  onScreened?(s: Screen<RankingExample>): void | Promise<void>;
}): Promise<DpoResult> {
  const cfg = DpoConfigSchema.parse(args.config ?? {});
  const { model, tokenizer: tok } = args;
  assertNonEmpty(args.data, 'rankings');

  // Data: rankings as token sequences; step s reads rankings s·B … s·B + B − 1 of the per-epoch permutations.
  const maxLength = dpoMaxLength(cfg, model.config);
  const split = args.evaluation ? { train: args.data, heldOut: args.evaluation } : splitHoldout(args.data, cfg.evalFraction, cfg.seed);
  // Unusable rankings (no pair, identical completions, bad indices) are skipped (data/screen.ts), up to the setting's share.
  const usable = await screenSplit(split, (items) => screenRankings(tok, items, maxLength, 'dpo'), { maxSkipFraction: cfg.maxSkipFraction, what: 'usable rankings outside the held-out share', onScreened: args.onScreened });
  const encodedTrain = encodePreferences(tok, usable.train, maxLength);
  const encodedHeldOut = encodePreferences(tok, usable.heldOut, maxLength);
  const refs = await args.reference([...encodedTrain, ...encodedHeldOut], args.callbacks?.shouldStop);
  // Stopped during the reference pass: the weights are still those of the start or the resume point.
  if (refs === null) return { steps: args.resume?.step ?? 0, stopped: true, trainLoss: NaN, evalLoss: null, evalAccuracy: null, evalMargin: null };
  const items = withReference([...encodedTrain, ...encodedHeldOut], refs);
  const train = items.slice(0, encodedTrain.length);
  const heldOut = items.slice(encodedTrain.length);
  const rankingAt = epochStream(train, cfg.seed);
  const batchSize = Math.min(cfg.batchSize, train.length);
  const pad = tok.special.pad;

  const runner = createDpoStep(model, cfg, pad);
  let evaluation: DpoEvaluation | null = null;
  const run = await trainingLoop<DpoCheckpoint>({
    ...loopSettings(cfg),
    optimizer: runner.optimizer,
    resume: args.resume,
    async step(step, lr) {
      const { loss, gradNorm, stats, tokens } = await runner.step(batchAt(rankingAt, step, batchSize), lr);
      return {
        loss,
        'rewards/chosen': stats.chosen,
        'rewards/rejected': stats.rejected,
        'rewards/accuracies': stats.accuracy,
        'rewards/margins': stats.margin,
        'logps/chosen': stats.logpsChosen,
        'logps/rejected': stats.logpsRejected,
        lr,
        grad_norm: gradNorm,
        tokens,
      };
    },
    finite: ['loss', 'grad_norm'],
    evaluation: heldOut.length
      ? {
          every: cfg.evalEvery,
          finite: ['eval_loss'],
          run: async () => {
            evaluation = await evaluateDpo(model, heldOut, pad, cfg);
            return {
              metrics: {
                eval_loss: evaluation.loss,
                'eval_rewards/chosen': evaluation.chosen,
                'eval_rewards/rejected': evaluation.rejected,
                'eval_rewards/accuracies': evaluation.accuracy,
                'eval_rewards/margins': evaluation.margin,
              },
            };
          },
        }
      : undefined,
    checkpoint: (c) => ({ ...c, model, trainerState: {} }),
    callbacks: args.callbacks,
  });
  const e = evaluation as DpoEvaluation | null;
  return { steps: run.steps, stopped: run.stopped, trainLoss: run.metrics.loss ?? NaN, evalLoss: e?.loss ?? null, evalAccuracy: e?.accuracy ?? null, evalMargin: e?.margin ?? null };
}
