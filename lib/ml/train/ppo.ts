// PPO for RLHF (InstructGPT §3.5 "RL", PPO-ptx), following the known implementation details
// (Ziegler et al. 2019; TRL's PPOTrainer; "The N Implementation Details of RLHF with PPO"):
//
//   policy π from SFT, frozen reference π_ref = SFT, critic V initialised from the RM;
//   rollout: sample a reply per prompt at `temperature`; the reply stops at <|end|> or
//     <|endoftext|> (included, everything after is masked); optional penalty if it never ends;
//   score: reward(context, reply) once per reply (the RM, normalised, or a programmatic one);
//   per-token reward r_t = −β·(log π − log π_ref), plus the score at the last reply token;
//   GAE (γ = 1, λ = 0.95) on V, advantages whitened over the reply tokens;
//   ppoEpochs passes over shuffled mini-batches minimising
//     clipped policy loss (ε = 0.2) + vfCoef · clipped value loss + ptxCoef · NLL(pretrain/SFT text)
//   with one Adam (explicit ε, 1e-5 as OpenAI's lm-human-preferences) over policy and critic;
//   log-probs are always computed on logits divided by the sampling temperature, so π_old is the
//   distribution that was sampled from and the first ratio is exactly 1;
//   β adapts toward a KL target (Ziegler et al.'s proportional controller).
// The loop (resume, schedule, stop, checkpoints) is train/loop.ts.
import { PpoConfigSchema, type PpoConfigInput } from '../../shared/stage-config';
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from '../model/gpt';
import { encodeChat, decodeAssistantReply, type ChatMessage, type Tokenizer } from '../tokenizer';
import type { ValueModel } from '../heads';
import {
  AdaptiveKLController,
  FixedKLController,
  entropyFromLogits,
  gae,
  klK3,
  logprobsFromLogits,
  perTokenRewards,
  ppoPolicyLoss,
  ppoValueLoss,
  whiten,
  assertFiniteMetrics,
} from '../losses';
import { assertNonEmpty, type PromptExample } from '../data/schemas';
import { Adam, accumulateGrads, clipToNorm, disposeGrads, namedGrads, squaredGlobalNorm } from './optimizer';
import { readFlat, toRows } from '../read';
import { chunks, guardActivations, permutation, type ResumeState, type TrainerCallbacks } from './common';
import { batchAt, epochStream, trainingLoop, loopSettings, type LoopCheckpoint } from './loop';
import { lmGradients, type LmRow } from './lm';
import { sample } from '../sample';
import { keepPromptEnd, promptBudget } from '../prompt-budget';
import { enforceSkipLimit, screenPrompts, type Screen } from '../data/screen';

/** Scores replies; `responses` are the decoded assistant replies (stop token removed). */
export type RewardFn = (
  contexts: ChatMessage[][],
  responses: string[],
  extra: { responseIds: number[][]; ended: boolean[] },
) => Promise<number[]> | number[];

export type PpoTrainerState = { klCoef: number };

/** Handed to onCheckpoint (see LoopCheckpoint); the optimizer state holds the Adam moments of policy (`policy.*`) and critic (`value.*`). */
export type PpoCheckpoint = LoopCheckpoint & { policy: GPT; critic: ValueModel; trainerState: PpoTrainerState };

export type PpoResult = { steps: number; stopped: boolean; metrics: Record<string, number>; klCoef: number };

/** A rollout batch laid out as [left-padded query | right-padded response]. */
export type Rollout = {
  ids: number[][]; // [B, Lq + R]
  attention: number[][]; // [B, Lq + R]
  responseIds: number[][]; // [B, R] (pad after the end)
  responseMask: number[][]; // [B, R]
  queryWidth: number; // Lq
  responseWidth: number; // R
  ended: boolean[];
};

/** Cuts each response after its first stop id (kept), marks whether it ended. */
export function truncateAtStop(responses: number[][], stopIds: number[]): { tokens: number[][]; ended: boolean[] } {
  const stop = new Set(stopIds);
  const tokens: number[][] = [];
  const ended: boolean[] = [];
  for (const r of responses) {
    const k = r.findIndex((t) => stop.has(t));
    tokens.push(k >= 0 ? r.slice(0, k + 1) : r.slice());
    ended.push(k >= 0);
  }
  return { tokens, ended };
}

/** Builds the padded layout used for scoring and training. */
export function layoutRollout(queries: number[][], responses: number[][], ended: boolean[], padId: number): Rollout {
  const Lq = Math.max(...queries.map((q) => q.length));
  const R = Math.max(1, ...responses.map((r) => r.length));
  const ids: number[][] = [];
  const attention: number[][] = [];
  const responseIds: number[][] = [];
  const responseMask: number[][] = [];
  queries.forEach((q, b) => {
    const r = responses[b];
    const qPad = new Array<number>(Lq - q.length).fill(padId);
    const rPad = new Array<number>(R - r.length).fill(padId);
    ids.push([...qPad, ...q, ...r, ...rPad]);
    attention.push([...qPad.map(() => 0), ...q.map(() => 1), ...r.map(() => 1), ...rPad.map(() => 0)]);
    responseIds.push([...r, ...rPad]);
    responseMask.push([...r.map(() => 1), ...rPad.map(() => 0)]);
  });
  return { ids, attention, responseIds, responseMask, queryWidth: Lq, responseWidth: R, ended };
}

function rows<T>(a: T[][], idx: number[]): T[][] {
  return idx.map((i) => a[i]);
}

/**
 * Hidden states at the positions that predict the response tokens: position Lq − 1 + j
 * predicts response token j.                                          → [b, R, C]
 */
function responseHidden(model: GPT, ro: Rollout, idx: number[]): tf.Tensor3D {
  const b = idx.length;
  const L = ro.queryWidth + ro.responseWidth;
  const ids = tf.tensor2d(rows(ro.ids, idx), [b, L], 'int32');
  const mask = tf.tensor2d(rows(ro.attention, idx), [b, L], 'int32');
  const h = model.hidden(ids, { attentionMask: mask }); // [b, L, C]
  const C = h.shape[2];
  return tf.slice(h, [0, ro.queryWidth - 1, 0], [b, ro.responseWidth, C]) as tf.Tensor3D; // [b, R, C]
}

/** Policy log-probs (temperature-scaled) and entropies of the response tokens.     → [b, R] each */
function policyLogprobs(model: GPT, ro: Rollout, idx: number[], temperature: number, withEntropy: boolean) {
  const logits = model.lmHead(responseHidden(model, ro, idx)); // [b, R, V]
  const targets = tf.tensor2d(rows(ro.responseIds, idx), [idx.length, ro.responseWidth], 'int32');
  const logprobs = logprobsFromLogits(logits, targets, temperature); // [b, R]
  const entropy = withEntropy ? entropyFromLogits(logits, temperature) : null; // [b, R]
  return { logprobs, entropy };
}

/** One full PPO iteration's pieces, exposed for the benchmark and tests. */
export function createPpoStep(args: {
  policy: GPT;
  reference: GPT;
  critic: ValueModel;
  tokenizer: Tokenizer;
  reward: RewardFn;
  config?: PpoConfigInput;
  ptxRows?: LmRow[];
}) {
  const cfg = PpoConfigSchema.parse(args.config ?? {});
  const { policy, reference, critic, tokenizer: tok } = args;
  if (cfg.ptxCoef > 0 && !(args.ptxRows && args.ptxRows.length))
    throw new Error('ppo: ptxCoef > 0 needs pretraining/SFT text (ptx data) — the dataset is empty');
  const policyParams = new Map([...policy.params].map(([k, v]) => [`policy.${k}`, v]));
  const valueParams = new Map([...critic.params()].map(([k, v]) => [`value.${k}`, v]));
  const allParams = new Map([...policyParams, ...valueParams]);
  const optimizer = new Adam(allParams, { beta1: cfg.adamBeta1, beta2: cfg.adamBeta2, eps: cfg.adamEps });
  const { promptTokens: maxPrompt } = promptBudget(policy.config.nPositions, cfg.maxNewTokens, { for: 'training', maxPromptTokens: cfg.maxPromptTokens });
  const stopIds = [tok.special.endOfTurn, tok.special.eos];
  const pad = tok.special.pad;

  /** Samples replies for contexts and scores everything without gradients. */
  async function rollout(contexts: ChatMessage[][], klCoef: number, seed: number) {
    const queries = contexts.map((c) => keepPromptEnd(encodeChat(tok, c, { addGenerationPrompt: true }).ids, maxPrompt));
    const t0 = performance.now();
    // Temperature only (no top-k/top-p): the replies must come from softmax(logits / T), the
    // distribution the update scores; the per-step seed makes a resumed run draw the same replies.
    const sampled = (await sample(policy, queries, { maxNewTokens: cfg.maxNewTokens, temperature: cfg.temperature, stopTokens: stopIds, seed, padTokenId: pad })).tokens;
    const sampleMs = performance.now() - t0;
    const { tokens, ended } = truncateAtStop(sampled, stopIds);
    const ro = layoutRollout(queries, tokens, ended, pad);
    const all = ro.ids.map((_, i) => i);
    const B = all.length;
    // Score in micro-batches (memory), no gradients: π_old, π_ref, V and the policy's entropy.
    const logprobs: number[][] = [];
    const refLogprobs: number[][] = [];
    const values: number[][] = [];
    let entropySum = 0;
    for (const micro of chunks(all, cfg.microBatchSize)) {
      guardActivations(policy.config, micro.length, ro.queryWidth + ro.responseWidth, `a PPO scoring batch of ${micro.length} rollouts`);
      const [lpT, refT, valT, entT] = tf.tidy(() => {
        const p = policyLogprobs(policy, ro, micro, cfg.temperature, true);
        const r = policyLogprobs(reference, ro, micro, cfg.temperature, false);
        const v = critic.valuesFromHidden(responseHidden(critic.backbone, ro, micro));
        const m = tf.tensor2d(rows(ro.responseMask, micro), [micro.length, ro.responseWidth]);
        return [p.logprobs, r.logprobs, v, tf.sum(tf.mul(p.entropy!, m))];
      });
      const [lp, ref, val, ent] = await readFlat([lpT, refT, valT, entT]); // one read per micro-batch
      const R = ro.responseWidth;
      logprobs.push(...toRows(lp, micro.length, R));
      refLogprobs.push(...toRows(ref, micro.length, R));
      values.push(...toRows(val, micro.length, R));
      entropySum += ent[0];
    }
    const entropy = entropySum / Math.max(1, tokens.reduce((a, t) => a + t.length, 0)); // mean over reply tokens

    const replies = tokens.map((t) => decodeAssistantReply(tok, t));
    const raw = await args.reward(contexts, replies, { responseIds: tokens, ended });
    if (!Array.isArray(raw) || raw.length !== B)
      throw new Error(`ppo: the reward function returned ${Array.isArray(raw) ? raw.length : typeof raw} scores for ${B} replies`);
    const scores = raw.map((s, b) => (cfg.missingEosPenalty !== null && !ended[b] ? s - cfg.missingEosPenalty : s));
    const maskT = tf.tensor2d(ro.responseMask);
    const lastIndex = tokens.map((t) => t.length - 1);
    const masked = ro.responseMask;
    const { rewards, kl } = perTokenRewards(logprobs, refLogprobs, masked, scores, lastIndex, klCoef);
    const shape = [B, ro.responseWidth] as const;
    let rewardRows = rewards;
    if (cfg.whitenRewards) {
      const [w] = await readFlat([tf.tidy(() => whiten(tf.tensor2d(rewards), maskT, false))]);
      rewardRows = toRows(w, ...shape);
    }
    const { advantages, returns } = gae(rewardRows, values, masked, cfg.gamma, cfg.lam);
    const [adv] = await readFlat([tf.tidy(() => whiten(tf.tensor2d(advantages), maskT))]);
    const whitened = toRows(adv, ...shape);
    maskT.dispose();

    const seqKl = kl.map((row) => row.reduce((a, b) => a + b, 0));
    const seqK3 = logprobs.map((row, b) => row.reduce((a, lp, t) => a + (masked[b][t] ? klK3(lp, refLogprobs[b][t]) : 0), 0));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const stats = {
      score: mean(scores),
      reward: mean(rewards.map((r) => r.reduce((a, b) => a + b, 0))),
      kl: mean(seqKl),
      kl_k3: mean(seqK3),
      entropy,
      response_length: mean(tokens.map((t) => t.length)),
      ended_fraction: mean(ended.map((e) => (e ? 1 : 0))),
      sample_tokens_per_s: (tokens.reduce((a, t) => a + t.length, 0) / sampleMs) * 1000,
    };
    return { ro, logprobs, values, advantages: whitened, returns, replies, scores, stats };
  }

  type Batch = Awaited<ReturnType<typeof rollout>>;

  /**
   * ppoEpochs × mini-batches of clipped policy + value (+ ptx) updates on one rollout batch. Each
   * optimizer update reads its statistics and gradient norm in one read, before applying.
   */
  async function update(batch: Batch, lr: number, seed: number, ptxCursor: number) {
    const B = batch.ro.ids.length;
    const STATS = ['policy_loss', 'value_loss', 'clipfrac', 'value_clipfrac', 'approx_kl', 'ratio'] as const;
    const sums: Record<string, number> = { policy_loss: 0, value_loss: 0, clipfrac: 0, value_clipfrac: 0, approx_kl: 0, ratio: 0, ptx_loss: 0, grad_norm: 0 };
    let updates = 0;
    let micros = 0;
    let ptx = ptxCursor;
    const R = batch.ro.responseWidth;
    for (let epoch = 0; epoch < cfg.ppoEpochs; epoch++) {
      const order = permutation(B, seed * 31 + epoch);
      for (const mini of chunks(order, cfg.miniBatchSize)) {
        const acc = new Map<string, tf.Tensor>();
        // Per micro-batch: the six statistics as one [6] tensor, read with the norm below.
        const statsT: tf.Tensor[] = [];
        let ptxLossT: tf.Tensor | null = null;
        try {
          for (const micro of chunks(mini, cfg.microBatchSize)) {
            const w = micro.length / mini.length;
            const b = micro.length;
            const old = tf.tensor2d(rows(batch.logprobs, micro), [b, R]);
            const oldV = tf.tensor2d(rows(batch.values, micro), [b, R]);
            const adv = tf.tensor2d(rows(batch.advantages, micro), [b, R]);
            const ret = tf.tensor2d(rows(batch.returns, micro), [b, R]);
            const mask = tf.tensor2d(rows(batch.ro.responseMask, micro), [b, R]);
            const L = batch.ro.queryWidth + R;
            guardActivations(policy.config, 2 * b, L, `a PPO micro-batch of ${b} × ${L} tokens (policy + critic)`);
            const { value, grads } = namedGrads(allParams, () =>
              tf.tidy(() => {
                const { logprobs } = policyLogprobs(policy, batch.ro, micro, cfg.temperature, false);
                const vpred = critic.valuesFromHidden(responseHidden(critic.backbone, batch.ro, micro));
                const pg = ppoPolicyLoss(logprobs, old, adv, mask, cfg.clipRange);
                const vf = ppoValueLoss(vpred, oldV, ret, mask, cfg.clipRangeValue);
                statsT.push(tf.keep(tf.stack([pg.loss, vf.loss, pg.clipfrac, vf.clipfrac, pg.approxKl, pg.ratioMean])));
                return tf.mul(tf.add(pg.loss, tf.mul(vf.loss, cfg.vfCoef)), w) as tf.Scalar;
              }),
            );
            value.dispose();
            accumulateGrads(acc, grads);
            tf.dispose([old, oldV, adv, ret, mask]);
            micros++;
          }
          if (cfg.ptxCoef > 0 && args.ptxRows) {
            // PPO-ptx: γ·(−log π) on pretraining/SFT text, a token-mean over ptxBatchSize rows.
            const ptxRows = Array.from({ length: cfg.ptxBatchSize }, (_, i) => args.ptxRows![(ptx + i) % args.ptxRows!.length]);
            ptx += cfg.ptxBatchSize;
            ptxLossT = lmGradients(policy, policyParams, ptxRows, { padId: pad, microBatchSize: cfg.microBatchSize, scale: cfg.ptxCoef, acc }).loss;
          }
          const [normSq, ptxLoss, ...stats] = await readFlat([squaredGlobalNorm(acc), ptxLossT ?? tf.scalar(0), ...statsT]);
          for (const st of stats) STATS.forEach((k, i) => (sums[k] += st[i]));
          sums.ptx_loss += ptxLoss[0];
          const norm = Math.sqrt(normSq[0]);
          sums.grad_norm += norm;
          if (!Number.isFinite(norm)) throw new Error(`non-finite grad_norm (${norm}) in a PPO update`);
          clipToNorm(acc, cfg.maxGradNorm, norm);
          optimizer.apply(acc, lr);
          updates++;
        } finally {
          tf.dispose(statsT);
          (ptxLossT as tf.Tensor | null)?.dispose();
          disposeGrads(acc);
        }
      }
    }
    const out: Record<string, number> = {};
    for (const k of STATS) out[k] = sums[k] / micros;
    out.grad_norm = sums.grad_norm / updates;
    if (cfg.ptxCoef > 0) out.ptx_loss = sums.ptx_loss / updates;
    return { metrics: out, ptxCursor: ptx };
  }

  return { config: cfg, optimizer, rollout, update, dispose: () => optimizer.dispose() };
}

export async function trainPpo(args: {
  /** The policy, initialised from the SFT model; trained in place. */
  policy: GPT;
  /** The frozen reference (the SFT model); never updated. */
  reference: GPT;
  /** The critic, initialised from the RM (criticFromRewardModel). */
  critic: ValueModel;
  tokenizer: Tokenizer;
  prompts: PromptExample[];
  reward: RewardFn;
  /** Pretraining or SFT text for the PPO-ptx term (as LM rows, see sftRows/pretrainRows). */
  ptx?: LmRow[];
  config?: PpoConfigInput;
  callbacks?: TrainerCallbacks<PpoCheckpoint>;
  resume?: ResumeState;
  /** What was skipped, kept or shortened, before the first step (the stage logs it). */
  onScreened?(s: Screen<PromptExample>): void | Promise<void>;
}): Promise<PpoResult> {
  const cfg = PpoConfigSchema.parse(args.config ?? {});
  assertNonEmpty(args.prompts, 'PPO prompts');
  // Empty prompts are skipped and long ones keep their end (data/screen.ts), up to the setting's share.
  const { promptTokens } = promptBudget(args.policy.config.nPositions, cfg.maxNewTokens, { for: 'training', maxPromptTokens: cfg.maxPromptTokens });
  const screened = screenPrompts(args.tokenizer, args.prompts, promptTokens);
  await args.onScreened?.(screened);
  enforceSkipLimit(screened, cfg.maxSkipFraction);
  const runner = createPpoStep({ ...args, config: cfg, ptxRows: args.ptx });

  // Trainer state: the KL controller's β (adaptive toward klTarget, else fixed).
  const kl = cfg.klTarget === null ? new FixedKLController(cfg.klCoef) : new AdaptiveKLController(cfg.klCoef, cfg.klTarget, cfg.klHorizon);
  const resumed = args.resume?.trainerState as Partial<PpoTrainerState> | undefined;
  if (resumed?.klCoef !== undefined) kl.value = resumed.klCoef;

  // Data: step s samples replies to prompts s·B … s·B + B − 1 of the per-epoch permutations.
  const promptAt = epochStream(screened.kept, cfg.seed);
  const run = await trainingLoop<PpoCheckpoint>({
    ...loopSettings(cfg),
    optimizer: runner.optimizer,
    resume: args.resume,
    async step(step, lr) {
      const contexts = batchAt(promptAt, step, cfg.batchSize).map((p) => p.context);
      const stepSeed = cfg.seed * 1000003 + step;
      const klCoef = kl.value;
      const t0 = performance.now();
      const batch = await runner.rollout(contexts, klCoef, stepSeed);
      const t1 = performance.now();
      assertFiniteMetrics(step + 1, batch.stats); // a non-finite rollout must not reach the update
      const ptxCursor = step * cfg.ppoEpochs * Math.ceil(cfg.batchSize / cfg.miniBatchSize) * cfg.ptxBatchSize;
      const upd = await runner.update(batch, lr, stepSeed, ptxCursor);
      kl.update(batch.stats.kl, cfg.batchSize);
      return { ...batch.stats, ...upd.metrics, kl_coef: klCoef, lr, rollout_s: (t1 - t0) / 1000, update_s: (performance.now() - t1) / 1000 };
    },
    checkpoint: (c) => ({ ...c, policy: args.policy, critic: args.critic, trainerState: { klCoef: kl.value } }),
    callbacks: args.callbacks,
  });
  return { steps: run.steps, stopped: run.stopped, metrics: run.metrics, klCoef: kl.value };
}
