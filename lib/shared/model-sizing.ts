// Sizing a round to its model (zod-only, client-safe): stage defaults chosen by the model's
// parameter count and context, and an estimate of each stage's work, time and peak memory on a
// worker's measured capacity, so the launch form and the launcher can refuse a plan that cannot fit.
//
// What the estimate is: a model of the trainers in lib/ml/train, not a measurement. FLOPs count
// the matmuls (weights, attention's QKᵀ and AV, the [B,T,V] logits); time divides them by the
// worker's measured matmul throughput (a [512,768]×[768,3072] probe) times an efficiency for the
// ops a probe does not see (softmax, LayerNorm, gelu, tf.js per-op overhead). Memory counts fp32
// weights, gradients and Adam's m, v, and the activations one micro-batch keeps alive (a tf.tidy
// holds every intermediate until it ends; autodiff keeps the same for the backward). Rows are
// assumed to fill maxLength, so time is an upper bound on short data. Expect ±2×.
import { z } from 'zod';
import { parameterCountOf, type ModelShape } from './model-shape';
import type { StageConfigs } from './stage-config';

const GiB = 1024 ** 3;
const F32 = 4;

// ---- worker capacity (measured by the worker at start, carried in its heartbeat's info) -------

export const WorkerCapacitySchema = z.object({
  /** Matmul throughput of the worker's backend, GFLOP/s (warm-up excluded). */
  gflops: z.number().positive(),
  /** Milliseconds a small op costs (kernel launch and tf.js bookkeeping); absent from older workers. */
  opMs: z.number().nonnegative().optional(),
  /** Memory the backend may use, bytes; null when the backend cannot tell (a hardware WebGPU adapter). */
  memoryBytes: z.number().positive().nullable(),
  /** Where memoryBytes comes from, in words ("wasm32 heap limit", "os.totalmem()", …). */
  memorySource: z.string().optional(),
  /** ISO time of the probe. */
  measuredAt: z.string(),
});
export type WorkerCapacity = z.infer<typeof WorkerCapacitySchema>;

/** A train worker as the sizing sees it. */
export type CapacityOf = { id: string; hostname: string; backend: string | null; capacity: WorkerCapacity };

// ---- sized stage defaults ------------------------------------------------------------------

/** Stages whose defaults depend on the model. */
export const SIZED_STAGES = ['pretrain', 'sft', 'rm', 'ppo', 'dpo'] as const;
export type SizedStage = (typeof SIZED_STAGES)[number];
export type SizedDefaults = { [K in SizedStage]: Partial<StageConfigs[K]> };

/** Below this many parameters (nano ~0.1M, small ~3.2M) the schema defaults stand unchanged. */
export const SIZED_FROM_PARAMETERS = 20e6;
/** At most this much activation memory per micro-batch by default (1 GiB: fits the 4 GiB wasm heap beside a 124M model's weights and Adam). */
const ACTIVATION_BUDGET = 1 * GiB;
/** At most this much for a PPO rollout (the whole batch's prompt forward and its KV cache): at least 4 rollouts even so. */
const SAMPLING_BUDGET = 4 * GiB;
/** Tokens a row keeps by default on a big model: the full 1024 context costs 4× the compute of 256 and more in attention, for chat data that is mostly shorter. */
const SIZED_MAX_LENGTH = 256;
/** Rankings' completions assumed when sizing the RM (the project default K). */
const DEFAULT_K = 4;

const pow2AtMost = (n: number) => 2 ** Math.floor(Math.log2(Math.max(1, n)));

/** Largest power of two ≤ `max` (at least `min`) whose bytes(rows) stay within the budget. */
function fitRows(max: number, bytes: (rows: number) => number, budget: number, min = 1): number {
  let rows = pow2AtMost(max);
  while (rows > min && bytes(rows) > budget) rows /= 2;
  return rows;
}

/**
 * Per-stage defaults for a model, to lay beneath the admin's explicit settings. Small models
 * (nano, small) keep the schema defaults. GPT-2-scale models (≥ 20M parameters) get rows of at
 * most 256 tokens, micro-batches sized to a 1 GiB activation budget, PPO rollouts sized to 4 GiB,
 * and fine-tuning learning rates: 1e-5 for SFT and the RM (InstructGPT fine-tuned at ~1e-5),
 * a tenth of that for PPO (rollout batches of 8–16 instead of InstructGPT's 512 give noisy
 * gradients; the adaptive KL controller does the rest), half of it for DPO (between the two:
 * TRL's 1e-6 assumes thousands of steps, a round runs ~100); half again from 300M (gpt2-medium) up.
 */
export function sizedStageDefaults(shape: ModelShape): SizedDefaults {
  const n = parameterCountOf(shape);
  if (n < SIZED_FROM_PARAMETERS) return { pretrain: {}, sft: {}, rm: {}, ppo: {}, dpo: {} };
  const T = Math.min(shape.nPositions, SIZED_MAX_LENGTH);
  const big = n >= 300e6;
  const lr = big ? 5e-6 : 1e-5;
  const ppoLr = big ? 5e-7 : 1e-6;
  const lmMicro = fitRows(8, (rows) => activationBytes(shape, rows, T, 'train-lm'), ACTIVATION_BUDGET);
  const rmMicro = fitRows(4, (rows) => activationBytes(shape, rows * DEFAULT_K, T, 'train-head'), ACTIVATION_BUDGET);
  // DPO forwards a ranking's K completions together through the language-model head (the logits are the cost).
  const dpoMicro = fitRows(4, (rows) => activationBytes(shape, rows * DEFAULT_K, T, 'train-lm'), ACTIVATION_BUDGET);
  const maxNewTokens = Math.min(64, Math.floor(T / 4));
  const maxPromptTokens = T - maxNewTokens;
  const ppoBatch = fitRows(16, (rows) => samplingBytes(shape, rows, maxPromptTokens, maxNewTokens), SAMPLING_BUDGET, 4);
  const ppoMicro = fitRows(8, (rows) => Math.max(ppoScoringBytes(shape, rows, T), ppoUpdateBytes(shape, rows, T)), ACTIVATION_BUDGET);
  return {
    pretrain: { blockSize: T, microBatchSize: lmMicro },
    sft: { batchSize: 16, microBatchSize: lmMicro, maxLength: T, lr, warmupSteps: 10 },
    rm: { batchSize: 8, microBatchSize: rmMicro, maxLength: T, lr },
    ppo: { batchSize: ppoBatch, miniBatchSize: Math.max(1, ppoBatch / 2), microBatchSize: Math.min(ppoMicro, ppoBatch / 2), maxNewTokens, maxPromptTokens, lr: ppoLr },
    dpo: { batchSize: 8, microBatchSize: dpoMicro, maxLength: T, lr: lr / 2 },
  };
}

/** Sized defaults laid beneath explicit settings (explicit always win); other stages pass through. */
export function withSizedDefaults(shape: ModelShape, explicit: Record<string, unknown>): Record<string, unknown> {
  const sized = sizedStageDefaults(shape);
  const out: Record<string, unknown> = { ...explicit };
  for (const k of SIZED_STAGES) {
    const given = explicit[k];
    // A non-object is the admin's mistake: left as it is so the schema names it.
    if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given))) continue;
    const merged = { ...sized[k], ...((given as Record<string, unknown> | undefined) ?? {}) };
    if (Object.keys(merged).length) out[k] = merged;
  }
  return out;
}

// ---- the memory and compute model -----------------------------------------------------------

/** Parameters in the transformer blocks (what 6·N counts; embeddings are lookups). */
function blockParameters(s: ModelShape): number {
  return parameterCountOf(s) - s.vocabSize * s.nEmbd - s.nPositions * s.nEmbd - 2 * s.nEmbd;
}

/**
 * Floats one token keeps alive per layer over rows of length T. Fitted to tf.profile's peakBytes
 * of real SFT steps (native TensorFlow, 2 cores: nano, small, 3 × 96 with the GPT-2 vocabulary,
 * 6 × 256 at T 256): training holds ~72·C (LayerNorms, qkv, the 4C MLP and gelu_new's
 * intermediates, residuals, and their gradients during the backward) and ~10·H·T (attention
 * scores, mask, softmax, and their gradients). A forward alone in a tf.tidy keeps about half.
 */
function layerFloats(s: ModelShape, T: number, train: boolean): number {
  return train ? s.nLayer * (72 * s.nEmbd + 10 * s.nHead * T) : s.nLayer * (36 * s.nEmbd + 5 * s.nHead * T);
}

type ActivationKind = 'train-lm' | 'train-head' | 'forward-lm' | 'forward-head';

/**
 * Bytes of one micro-batch of `rows` × `T`: the layers, plus the [rows,T,V] logits and their
 * copies (log-softmax, the one-hot targets, the gradient: ~10 in training, ~4 in a forward; the
 * WebAssembly backend was measured at up to twice that on a logits-heavy model).
 */
export function activationBytes(s: ModelShape, rows: number, T: number, kind: ActivationKind): number {
  const train = kind.startsWith('train');
  const logits = kind === 'train-lm' ? 10 * s.vocabSize : kind === 'forward-lm' ? 4 * s.vocabSize : 0;
  return F32 * rows * T * (layerFloats(s, T, train) + logits);
}

/** A PPO rollout: the whole batch's prompt forward [B, Lq] (all columns' logits) and the KV cache 2·L·B·(Lq+R)·C. */
function samplingBytes(s: ModelShape, batch: number, promptTokens: number, newTokens: number): number {
  return activationBytes(s, batch, promptTokens, 'forward-lm') + F32 * 2 * s.nLayer * batch * (promptTokens + newTokens) * s.nEmbd;
}

/** PPO scoring micro-batch: policy (logits, log-softmax, softmax for the entropy), reference and critic in one tidy. */
function ppoScoringBytes(s: ModelShape, rows: number, L: number): number {
  return F32 * rows * L * (3 * layerFloats(s, L, false) + 10 * s.vocabSize);
}

/** PPO update micro-batch: policy and critic forward + backward. */
function ppoUpdateBytes(s: ModelShape, rows: number, L: number): number {
  return F32 * rows * L * (2 * layerFloats(s, L, true) + 10 * s.vocabSize);
}

/** Forward FLOPs per token: 2 per block weight, QKᵀ and AV (4·T·C per layer), the logits (2·C·V). */
function forwardFlopsPerToken(s: ModelShape, T: number, logits: boolean): number {
  return 2 * blockParameters(s) + 4 * s.nLayer * T * s.nEmbd + (logits ? 2 * s.nEmbd * s.vocabSize : 0);
}

/**
 * Time is three terms, fitted to measured SFT steps on native TensorFlow and wasm (2 shared
 * cores, where the same step measured 0.35–2.8× its estimate from one run to the next): matmul
 * FLOPs at MATMUL_EFFICIENCY of the probe's best-rep rate (a step sustains 0.4–1× of it); the softmax and loss passes over the [B,T,V] logits, which are memory-bound, counted as
 * this many FLOPs per logit (training; a third of it in a forward); and a fixed cost per op
 * (the worker's opMs) times the ops a step launches, which is all a nano step is.
 */
export const MATMUL_EFFICIENCY = 0.6;
const LOGIT_FLOPS = 100;

/** Ops one micro-batch launches: ~80 per layer forward + backward and ~70 around them (embeddings, loss). */
const opsPerMicroBatch = (s: ModelShape, train: boolean) => (train ? 80 * s.nLayer + 70 : 30 * s.nLayer + 20);
/** Adam's ops per step: ~4 per parameter tensor (12 per layer, 4 more). */
const opsPerAdam = (s: ModelShape) => 4 * (12 * s.nLayer + 4);

// ---- the plan ------------------------------------------------------------------------------

export type MemoryBreakdown = {
  /** Weights of every model the stage holds, fp32. */
  weights: number;
  /** Gradients and Adam's m, v of the trained models. */
  optimizer: number;
  /** The largest transient: one micro-batch's activations, or a PPO rollout. */
  activations: number;
  /** What the activations are, for people ("a micro-batch of 2 × 256 tokens"). */
  activationsOf: string;
  total: number;
};

export type StageEstimate = {
  stage: SizedStage;
  /** Tokens through the model: trained on (pretrain, SFT), in the rankings (RM, DPO), in the rollouts (PPO). */
  tokens: number;
  flops: number;
  /** On the worker the estimate is for; null without a reported capacity. */
  seconds: number | null;
  memory: MemoryBreakdown;
  /** Memory limit of that worker, bytes; null when unknown. */
  limitBytes: number | null;
  /** false when the peak exceeds 90% of the limit; null when the limit is unknown. */
  fits: boolean | null;
  /** Settings to lower when it does not fit, as `stage.field`. */
  lower: string[];
};

export type PlanContext = {
  /** Completions per ranking (the project's K). */
  rankingK?: number;
};

/** The memory a plan may use of a worker's limit (the rest: the runtime, the data, fragmentation). */
export const MEMORY_HEADROOM = 0.9;

/**
 * One trained model: weights 4N bytes, Adam's m, v 8N, the accumulated gradients and the
 * micro-batch's own during its backward 8N, plus the activations; adding the two gradient sets
 * briefly makes a third copy, after the activations are freed (24N).
 */
function trainingMemory(n: number, act: number, activationsOf: string): MemoryBreakdown {
  const weights = F32 * n;
  const optimizer = F32 * n * 4;
  return { weights, optimizer, activations: act, activationsOf, total: Math.max(weights + optimizer + act, F32 * n * 6) };
}

function estimateStage(
  shape: ModelShape,
  stage: SizedStage,
  settings: StageConfigs,
  capacity: WorkerCapacity | null,
  ctx: PlanContext,
): StageEstimate {
  const n = parameterCountOf(shape);
  const V = shape.vocabSize;
  const ctxLen = shape.nPositions;
  let tokens: number;
  let flops: number;
  /** Logit elements passed through softmax and loss, in training-pass equivalents. */
  let logits: number;
  let ops: number;
  let memory: MemoryBreakdown;
  let lower: string[];

  if (stage === 'pretrain' || stage === 'sft') {
    const cfg = stage === 'pretrain' ? settings.pretrain : settings.sft;
    const T = Math.min((stage === 'pretrain' ? settings.pretrain.blockSize : settings.sft.maxLength) ?? ctxLen, ctxLen);
    const micro = Math.min(cfg.microBatchSize, cfg.batchSize);
    tokens = cfg.steps * cfg.batchSize * T;
    flops = 3 * tokens * forwardFlopsPerToken(shape, T, true);
    logits = tokens * V;
    ops = cfg.steps * (Math.ceil(cfg.batchSize / micro) * opsPerMicroBatch(shape, true) + opsPerAdam(shape));
    memory = trainingMemory(n, activationBytes(shape, micro, T, 'train-lm'), `a micro-batch of ${micro} × ${T} tokens`);
    lower = [`${stage}.microBatchSize`, stage === 'pretrain' ? 'pretrain.blockSize' : 'sft.maxLength'];
  } else if (stage === 'rm') {
    const cfg = settings.rm;
    const K = ctx.rankingK ?? DEFAULT_K;
    const T = Math.min(cfg.maxLength ?? ctxLen, ctxLen);
    const micro = Math.min(cfg.microBatchSize, cfg.batchSize);
    tokens = cfg.steps * cfg.batchSize * K * T;
    flops = 3 * tokens * forwardFlopsPerToken(shape, T, false);
    logits = 0;
    ops = cfg.steps * (Math.ceil(cfg.batchSize / micro) * opsPerMicroBatch(shape, true) + opsPerAdam(shape));
    memory = trainingMemory(n, activationBytes(shape, micro * K, T, 'train-head'), `${micro} ranking${micro > 1 ? 's' : ''} × ${K} completions × ${T} tokens`);
    lower = ['rm.microBatchSize', 'rm.maxLength'];
  } else if (stage === 'dpo') {
    // Each ranking's K completions through the policy with its language-model head; the reference
    // log-probs are one forward over the data before the first step (cached per snapshot), left out here.
    const cfg = settings.dpo;
    const K = ctx.rankingK ?? DEFAULT_K;
    const T = Math.min(cfg.maxLength ?? ctxLen, ctxLen);
    const micro = Math.min(cfg.microBatchSize, cfg.batchSize);
    tokens = cfg.steps * cfg.batchSize * K * T;
    flops = 3 * tokens * forwardFlopsPerToken(shape, T, true);
    logits = tokens * V;
    ops = cfg.steps * (Math.ceil(cfg.batchSize / micro) * opsPerMicroBatch(shape, true) + opsPerAdam(shape));
    memory = trainingMemory(n, activationBytes(shape, micro * K, T, 'train-lm'), `${micro} ranking${micro > 1 ? 's' : ''} × ${K} completions × ${T} tokens`);
    lower = ['dpo.microBatchSize', 'dpo.maxLength'];
  } else {
    const cfg = settings.ppo;
    const R = Math.min(cfg.maxNewTokens, ctxLen - 1);
    const Lq = Math.min(cfg.maxPromptTokens ?? ctxLen - R, ctxLen - R);
    const L = Lq + R;
    const B = cfg.batchSize;
    const micro = Math.min(cfg.microBatchSize, B);
    const micros = Math.ceil(B / micro);
    const minis = Math.ceil(B / Math.min(cfg.miniBatchSize, B));
    const ptx = cfg.ptxCoef > 0 ? cfg.ppoEpochs * minis * cfg.ptxBatchSize * ctxLen : 0;
    const perStep =
      B * Lq * forwardFlopsPerToken(shape, Lq, true) + // the prompt into the KV cache
      B * R * forwardFlopsPerToken(shape, Lq + R / 2, true) + // then one token at a time
      B * L * (2 * forwardFlopsPerToken(shape, L, true) + 2 * forwardFlopsPerToken(shape, L, false)) + // π_old, π_ref; V and the RM's score
      cfg.ppoEpochs * B * L * 3 * (forwardFlopsPerToken(shape, L, true) + forwardFlopsPerToken(shape, L, false)) + // policy + critic updates
      ptx * 3 * forwardFlopsPerToken(shape, ctxLen, true);
    tokens = cfg.steps * B * L;
    flops = cfg.steps * perStep;
    // Forward passes cost about a third of a training pass over the logits.
    logits = cfg.steps * V * ((B * (Lq + R) + 2 * B * L) / 3 + cfg.ppoEpochs * B * L + ptx);
    ops =
      cfg.steps *
      (R * (6 * shape.nLayer + 4) + // one decoding step per new token
        micros * (3 * opsPerMicroBatch(shape, false) + opsPerMicroBatch(shape, false)) + // scoring, the RM
        cfg.ppoEpochs * (micros * 2 * opsPerMicroBatch(shape, true) + minis * 2 * opsPerAdam(shape)));
    const parts: [number, string][] = [
      [samplingBytes(shape, B, Lq, R), `a rollout of ${B} prompts × ${Lq} + ${R} tokens`],
      [ppoScoringBytes(shape, micro, L), `scoring ${micro} × ${L} tokens (policy, reference, critic)`],
      [ppoUpdateBytes(shape, micro, L), `an update micro-batch of ${micro} × ${L} tokens`],
    ];
    if (cfg.ptxCoef > 0) parts.push([activationBytes(shape, micro, ctxLen, 'train-lm'), `a ptx micro-batch of ${micro} × ${ctxLen} tokens`]);
    const [act, what] = parts.reduce((x, y) => (y[0] > x[0] ? y : x));
    // Policy, reference, critic and RM backbones (4 × 4N); policy and critic trained, each with
    // gradients (2 copies) and Adam's m, v (2 × 16N).
    memory = { weights: F32 * n * 4, optimizer: F32 * n * 8, activations: act, activationsOf: what, total: F32 * n * 12 + act };
    lower = what.startsWith('a rollout') ? ['ppo.batchSize', 'ppo.maxPromptTokens'] : ['ppo.microBatchSize', 'ppo.maxPromptTokens'];
  }

  const limit = capacity?.memoryBytes ?? null;
  const seconds = capacity
    ? (flops / MATMUL_EFFICIENCY + logits * LOGIT_FLOPS) / (capacity.gflops * 1e9) + (ops * (capacity.opMs ?? 0)) / 1000
    : null;
  return { stage, tokens, flops, seconds, memory, limitBytes: limit, fits: limit === null ? null : memory.total <= limit * MEMORY_HEADROOM, lower };
}

/**
 * Estimates each of `stages` (in order) for a model and resolved settings on one worker's
 * capacity (null: no time, fit unknown). Settings are the parsed ones (defaults filled in).
 */
export function estimatePlan(
  shape: ModelShape,
  settings: StageConfigs,
  stages: readonly SizedStage[],
  capacity: WorkerCapacity | null,
  ctx: PlanContext = {},
): StageEstimate[] {
  return stages.map((s) => estimateStage(shape, s, settings, capacity, ctx));
}

export type WorkerPlan = {
  /** The worker the estimate is for: the one with the most memory (the fastest among equals); null when none reported capacity. */
  worker: CapacityOf | null;
  stages: StageEstimate[];
  /** Stages that fit on no worker with a known memory limit (empty when any fits, or none is known). */
  blocked: StageEstimate[];
};

/**
 * The plan on the live train workers. A stage blocks only when every worker that reported a
 * memory limit is too small and none reported an unknown one (a stage can run on any of them).
 */
export function planOnWorkers(shape: ModelShape, settings: StageConfigs, stages: readonly SizedStage[], workers: readonly CapacityOf[], ctx: PlanContext = {}): WorkerPlan {
  if (!workers.length) return { worker: null, stages: estimatePlan(shape, settings, stages, null, ctx), blocked: [] };
  const best = [...workers].sort((a, b) => (b.capacity.memoryBytes ?? Infinity) - (a.capacity.memoryBytes ?? Infinity) || b.capacity.gflops - a.capacity.gflops)[0];
  const est = estimatePlan(shape, settings, stages, best.capacity, ctx);
  const blocked = best.capacity.memoryBytes === null ? [] : est.filter((e) => e.fits === false);
  return { worker: best, stages: est, blocked };
}

// ---- words ---------------------------------------------------------------------------------

export function formatBytes(b: number): string {
  if (b >= GiB) return `${(b / GiB).toFixed(b >= 100 * GiB ? 0 : 1)} GiB`;
  if (b >= 1024 ** 2) return `${Math.round(b / 1024 ** 2)} MiB`;
  return `${Math.max(1, Math.round(b / 1024))} KiB`;
}

export function formatSeconds(s: number): string {
  if (s < 1) return '< 1 s';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} days`;
}

export function formatCount(n: number): string {
  if (n >= 1e12) return `${(n / 1e12).toFixed(1)}T`;
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** Why a stage cannot fit, naming the estimate, the limit and what to lower. */
export function explainNoFit(e: StageEstimate, worker: CapacityOf | null): string {
  const where = worker ? ` of the largest train worker (${worker.backend ?? 'backend unknown'} on ${worker.hostname})` : '';
  const limit = e.limitBytes === null ? 'its limit' : `the ${formatBytes(e.limitBytes)}${where}`;
  const fixed = e.memory.weights + e.memory.optimizer;
  const fix =
    e.limitBytes !== null && fixed > e.limitBytes * MEMORY_HEADROOM
      ? 'the model with its gradients and Adam state alone is too big for it: add a worker with more memory (native TensorFlow on a larger machine)'
      : `lower ${e.lower.join(' or ')}`;
  return `${e.stage} needs about ${formatBytes(e.memory.total)} at its peak (weights ${formatBytes(e.memory.weights)}, gradients and Adam ${formatBytes(e.memory.optimizer)}, ${e.memory.activationsOf} ${formatBytes(e.memory.activations)}), over ${limit}: ${fix}.`;
}
