// Reward model training (InstructGPT §3.5): backbone + scalar head read at the last real token,
// trained on K-wise rankings with the pairwise loss
//   loss = −1/C(K,2) · Σ_(w,l) log σ(r(x, y_w) − r(x, y_l))
// where every ranking is one batch element: its K completions are forwarded once, together, and
// all C(K,2) pairs (ties give none) come from those K rewards — the InstructGPT trick that avoids
// overfitting from seeing each completion in K − 1 separate pairs. Held-out accuracy and margin.
// The loop is train/loop.ts.
import { RewardConfigSchema, type RewardConfigInput } from '../../shared/stage-config';
import * as tf from '@tensorflow/tfjs-core';
import type { Tokenizer } from '../tokenizer';
import { RewardModel, encodeReply, lastRealIndex } from '../heads';
import { rankingLoss, rankingStats, type RankingSlice } from '../losses';
import { assertNonEmpty, validateRanking, type RankingExample } from '../data/schemas';
import { Adam, accumulateGrads, addScalar, clipToNorm, disposeGrads, namedGrads, squaredGlobalNorm } from './optimizer';
import { readFlat } from '../read';
import { chunks, guardActivations, padRight, splitHoldout, type ResumeState, type TrainerCallbacks } from './common';
import { batchAt, epochStream, trainingLoop, loopSettings, type LoopCheckpoint } from './loop';
import { screenRankings, screenSplit, type Screen } from '../data/screen';

/** A ranking as token sequences: only completions that appear in a tier, tiers re-indexed;
 *  weight its share in the loss (1 unless the example says). */
export type EncodedRanking = { seqs: number[][]; tiers: number[][]; weight?: number };

/** Handed to onCheckpoint (see LoopCheckpoint). */
export type RewardCheckpoint = LoopCheckpoint & { model: RewardModel; trainerState: Record<string, never> };

export type RewardResult = {
  steps: number;
  stopped: boolean;
  trainLoss: number;
  evalAccuracy: number | null;
  evalMargin: number | null;
  evalLoss: number | null;
};

/** Validates and tokenises rankings (context + completion as an assistant turn). */
export function encodeRankings(tok: Tokenizer, data: RankingExample[], maxLength: number, offset = 0): EncodedRanking[] {
  return data.map((r, i) => {
    validateRanking(r, i + offset);
    const used = r.tiers.flat();
    const pos = new Map(used.map((c, j) => [c, j]));
    const seqs = used.map((c) => {
      const ids = encodeReply(tok, r.context, r.completions[c]);
      return ids.length > maxLength ? ids.slice(ids.length - maxLength) : ids; // the reward is read at the end
    });
    return { seqs, tiers: r.tiers.map((t) => t.map((c) => pos.get(c)!)), weight: r.weight ?? 1 };
  });
}

const weightOf = (rs: EncodedRanking[]) => rs.reduce((s, r) => s + (r.weight ?? 1), 0);

/** Forward of one micro-batch of rankings: all their completions in one [N, T] batch. */
function forwardRankings(rm: RewardModel, rankings: EncodedRanking[], padId: number) {
  const seqs = rankings.flatMap((r) => r.seqs);
  const slices: RankingSlice[] = [];
  let start = 0;
  for (const r of rankings) {
    slices.push({ start, tiers: r.tiers, weight: r.weight });
    start += r.seqs.length;
  }
  const { ids, mask, T } = padRight(seqs, padId);
  const idsT = tf.tensor2d(ids, [seqs.length, T], 'int32');
  const maskT = tf.tensor2d(mask, [seqs.length, T], 'int32');
  return { idsT, maskT, last: lastRealIndex(mask), slices };
}

/**
 * One optimizer step on some rankings (micro-batched): what the benchmark times. The rewards
 * (for accuracy and margin), the loss and the gradient norm come back in one read, before the
 * update.
 */
export function createRewardStep(rm: RewardModel, config: RewardConfigInput = {}, padId = 0) {
  const cfg = RewardConfigSchema.parse(config);
  const params = rm.params();
  const optimizer = new Adam(params, { beta1: cfg.adamBeta1, beta2: cfg.adamBeta2, eps: cfg.adamEps, weightDecay: cfg.weightDecay });
  return {
    optimizer,
    async step(rankings: EncodedRanking[], lr: number): Promise<{ loss: number; gradNorm: number; accuracy: number; margin: number; tokens: number }> {
      const acc = new Map<string, tf.Tensor>();
      let lossT: tf.Scalar | null = null;
      let tokens = 0;
      const rewardsT: tf.Tensor[] = [];
      const slices: RankingSlice[] = [];
      let offset = 0;
      try {
        for (const micro of chunks(rankings, cfg.microBatchSize)) {
          const seqs = micro.flatMap((r) => r.seqs);
          const T = Math.max(...seqs.map((q) => q.length));
          guardActivations(rm.backbone.config, seqs.length, T, `${micro.length} rankings (${seqs.length} completions × ${T} tokens)`, false);
          const f = forwardRankings(rm, micro, padId);
          tokens += f.idsT.size;
          const weight = weightOf(micro) / weightOf(rankings); // weighted mean over rankings of the whole batch
          const { value, grads } = namedGrads(params, () =>
            tf.tidy(() => {
              const r = rm.rewards(f.idsT, f.last, { attentionMask: f.maskT }); // [N]
              rewardsT.push(tf.keep(tf.clone(r))); // read with the loss, after the step
              return tf.mul(rankingLoss(r, f.slices), weight) as tf.Scalar;
            }),
          );
          slices.push(...f.slices.map((s) => ({ start: s.start + offset, tiers: s.tiers })));
          offset += seqs.length;
          lossT = addScalar(lossT, value);
          accumulateGrads(acc, grads);
          tf.dispose([f.idsT, f.maskT]);
        }
        const [lossV, normSqV, ...parts] = await readFlat([lossT!, squaredGlobalNorm(acc), ...rewardsT]);
        const rewards = parts.flatMap((x) => [...x]);
        const loss = lossV[0];
        const gradNorm = Math.sqrt(normSqV[0]);
        clipToNorm(acc, cfg.maxGradNorm, gradNorm);
        if (Number.isFinite(loss) && Number.isFinite(gradNorm)) optimizer.apply(acc, lr);
        const s = rankingStats(rewards, slices);
        return { loss, gradNorm, accuracy: s.accuracy, margin: s.margin, tokens };
      } finally {
        tf.dispose(rewardsT);
        (lossT as tf.Scalar | null)?.dispose(); // read tensors are disposed already (a no-op then)
        disposeGrads(acc);
      }
    },
    dispose: () => optimizer.dispose(),
  };
}

/** Held-out pairwise accuracy, mean margin and loss, without gradients (one read at the end). */
export async function evaluateRewardModel(
  rm: RewardModel,
  rankings: EncodedRanking[],
  padId: number,
  microBatchSize = 4,
): Promise<{ accuracy: number; margin: number; loss: number; pairs: number }> {
  const rewardsT: tf.Tensor[] = [];
  const slices: RankingSlice[] = [];
  let lossSum: tf.Scalar | null = null;
  let counted = 0;
  let offset = 0;
  for (const micro of chunks(rankings, microBatchSize)) {
    const f = forwardRankings(rm, micro, padId);
    const [r, l] = tf.tidy(() => {
      const r = rm.rewards(f.idsT, f.last, { attentionMask: f.maskT });
      return [r, tf.mul(rankingLoss(r, f.slices), weightOf(micro)) as tf.Scalar];
    });
    rewardsT.push(r);
    slices.push(...f.slices.map((s) => ({ start: s.start + offset, tiers: s.tiers })));
    offset += micro.reduce((n, r) => n + r.seqs.length, 0);
    lossSum = addScalar(lossSum, l);
    counted += weightOf(micro);
    tf.dispose([f.idsT, f.maskT]);
  }
  const [lossV, ...parts] = await readFlat([lossSum ?? tf.scalar(NaN), ...rewardsT]);
  const s = rankingStats(parts.flatMap((x) => [...x]), slices);
  return { accuracy: s.accuracy, margin: s.margin, loss: counted > 0 ? lossV[0] / counted : NaN, pairs: s.pairs };
}

export async function trainRewardModel(args: {
  model: RewardModel;
  tokenizer: Tokenizer;
  data: RankingExample[];
  evaluation?: RankingExample[];
  config?: RewardConfigInput;
  callbacks?: TrainerCallbacks<RewardCheckpoint>;
  resume?: ResumeState;
  /** What was skipped, kept or shortened, before the first step (the stage logs it). */
  onScreened?(s: Screen<RankingExample>): void | Promise<void>;
}): Promise<RewardResult> {
  const cfg = RewardConfigSchema.parse(args.config ?? {});
  const { model: rm, tokenizer: tok } = args;
  assertNonEmpty(args.data, 'rankings');

  // Data: rankings as token sequences; step s reads rankings s·B … s·B + B − 1 of the per-epoch permutations.
  const maxLength = Math.min(cfg.maxLength ?? rm.backbone.config.nPositions, rm.backbone.config.nPositions);
  const split = args.evaluation ? { train: args.data, heldOut: args.evaluation } : splitHoldout(args.data, cfg.evalFraction, cfg.seed);
  // Unusable rankings (no pair, identical completions, bad indices) are skipped (data/screen.ts), up to the setting's share.
  const usable = await screenSplit(split, (items) => screenRankings(tok, items, maxLength), { maxSkipFraction: cfg.maxSkipFraction, what: 'usable rankings outside the held-out share', onScreened: args.onScreened });
  const train = encodeRankings(tok, usable.train, maxLength);
  const heldOut = encodeRankings(tok, usable.heldOut, maxLength);
  const rankingAt = epochStream(train, cfg.seed);
  const batchSize = Math.min(cfg.batchSize, train.length);
  const pad = tok.special.pad;

  const runner = createRewardStep(rm, cfg, pad);
  let evalStats: { accuracy: number; margin: number; loss: number } | null = null;
  const run = await trainingLoop<RewardCheckpoint>({
    ...loopSettings(cfg),
    optimizer: runner.optimizer,
    resume: args.resume,
    async step(step, lr) {
      const out = await runner.step(batchAt(rankingAt, step, batchSize), lr);
      return { loss: out.loss, accuracy: out.accuracy, margin: out.margin, lr, grad_norm: out.gradNorm, tokens: out.tokens };
    },
    finite: ['loss', 'grad_norm'],
    evaluation: heldOut.length
      ? {
          every: cfg.evalEvery,
          finite: ['eval_loss'],
          run: async () => {
            evalStats = await evaluateRewardModel(rm, heldOut, pad, cfg.microBatchSize);
            return { metrics: { eval_accuracy: evalStats.accuracy, eval_margin: evalStats.margin, eval_loss: evalStats.loss } };
          },
        }
      : undefined,
    checkpoint: (c) => ({ ...c, model: rm, trainerState: {} }),
    callbacks: args.callbacks,
  });
  const e = evalStats as { accuracy: number; margin: number; loss: number } | null;
  return { steps: run.steps, stopped: run.stopped, trainLoss: run.metrics.loss ?? NaN, evalAccuracy: e?.accuracy ?? null, evalMargin: e?.margin ?? null, evalLoss: e?.loss ?? null };
}
