// The one training loop under every trainer (pretraining, SFT, reward model, PPO). A trainer
// brings its data preparation and its step; the loop owns what they all do the same way:
// resuming at a step with the optimizer's moments, the learning-rate schedule, yielding to the
// event loop and polling for a stop between steps, the NaN/Inf guard, the held-out evaluation
// cadence, and the checkpoints (every `checkpointEvery` steps, on a new best, at the end, and a
// final one when stopped). Like nanoGPT's train.py, with TRL's callback points.
import type * as tf from '@tensorflow/tfjs-core';
import { assertFiniteMetrics } from '../losses';
import { learningRate, type ScheduleConfig } from './schedule';
import { disposeMap, permutation, type ResumeState, type TrainerCallbacks, yieldToEventLoop } from './common';

/** What the loop asks of an optimizer: its moments out (checkpoints) and in (resume), and cleanup. */
export type LoopOptimizer = {
  exportState(): Map<string, tf.Tensor>;
  importState(state: Map<string, tf.Tensor>): void | Promise<void>;
  dispose(): void;
};

/** The loop's part of every checkpoint; a trainer adds its models and trainer state. */
export type LoopCheckpoint = {
  step: number;
  totalSteps: number;
  /** Disposed when onCheckpoint returns. */
  optimizerState: Map<string, tf.Tensor>;
  metrics: Record<string, number>;
  /** The weights hold the best held-out result so far. */
  best: boolean;
  /** The last checkpoint of the run (finished or stopped). */
  final: boolean;
};

export type LoopSpec<C> = {
  totalSteps: number;
  checkpointEvery: number;
  /** Peak rate, floor, warmup; the step function receives the rate of its step. */
  schedule: ScheduleConfig;
  optimizer: LoopOptimizer;
  resume?: ResumeState;
  /**
   * One optimizer step. `step` is 0-based (the number of completed steps); returns the step's
   * metrics (with `tokens`, the loop adds `tokens_per_s`), read from the device in one read. It
   * may throw (a bad batch); the loop then stops without a checkpoint.
   */
  step(step: number, lr: number): Promise<Record<string, number>>;
  /** Metrics that must be finite after a step (default: all of them). */
  finite?: readonly string[];
  /** Held-out evaluation every `evalEvery` steps and at the last one; `best` asks for a best checkpoint. */
  evaluation?: {
    every: number;
    run(step: number): Promise<{ metrics: Record<string, number>; best?: boolean }>;
    /** Metrics that must be finite after an evaluation. */
    finite: readonly string[];
  };
  /** The trainer's checkpoint, built from the loop's fields. */
  checkpoint(c: LoopCheckpoint): C;
  callbacks?: TrainerCallbacks<C>;
};

export type LoopResult = {
  /** Completed optimizer steps (the resumed ones included). */
  steps: number;
  stopped: boolean;
  /** The last step's metrics (with its evaluation's, when one ran). */
  metrics: Record<string, number>;
};

const pick = (m: Record<string, number>, keys: readonly string[] | undefined) =>
  keys ? Object.fromEntries(keys.filter((k) => k in m).map((k) => [k, m[k]])) : m;

/** The loop's length, checkpoint cadence and learning-rate schedule from a stage's settings. */
export function loopSettings(cfg: { steps: number; checkpointEvery: number; lr: number; minLrRatio: number; warmupSteps: number }) {
  return {
    totalSteps: cfg.steps,
    checkpointEvery: cfg.checkpointEvery,
    schedule: { lr: cfg.lr, minLr: cfg.lr * cfg.minLrRatio, warmupSteps: cfg.warmupSteps, totalSteps: cfg.steps },
  };
}

/** Runs `spec.step` from the resume point to `totalSteps`, or until `shouldStop` answers true. */
export async function trainingLoop<C>(spec: LoopSpec<C>): Promise<LoopResult> {
  const cb = spec.callbacks ?? {};
  const total = spec.totalSteps;
  let step = 0;
  let metrics: Record<string, number> = {};
  let stopped = false;

  const checkpoint = async (best: boolean, final: boolean) => {
    if (!cb.onCheckpoint) return;
    const optimizerState = spec.optimizer.exportState();
    try {
      await cb.onCheckpoint(spec.checkpoint({ step, totalSteps: total, optimizerState, metrics, best, final }));
    } finally {
      disposeMap(optimizerState);
    }
  };

  try {
    if (spec.resume) {
      step = spec.resume.step;
      if (spec.resume.optimizerState) await spec.optimizer.importState(spec.resume.optimizerState);
    }
    while (step < total) {
      // A macrotask between steps: job locks renew and signals are answered during long runs.
      await yieldToEventLoop();
      if (cb.shouldStop && (await cb.shouldStop())) {
        stopped = true;
        break;
      }
      const t0 = performance.now();
      const stepMetrics = await spec.step(step, learningRate(step, spec.schedule));
      if ('tokens' in stepMetrics) stepMetrics.tokens_per_s = (stepMetrics.tokens / (performance.now() - t0)) * 1000;
      assertFiniteMetrics(step + 1, pick(stepMetrics, spec.finite));
      step++;
      metrics = stepMetrics;
      let best = false;
      if (spec.evaluation && (step % spec.evaluation.every === 0 || step === total)) {
        const e = await spec.evaluation.run(step);
        assertFiniteMetrics(step, pick(e.metrics, spec.evaluation.finite));
        metrics = { ...metrics, ...e.metrics };
        best = e.best ?? false;
      }
      await cb.onStep?.({ step, totalSteps: total, metrics });
      if (best || step % spec.checkpointEvery === 0 || step === total) await checkpoint(best, step === total);
    }
    if (stopped) await checkpoint(false, true);
  } finally {
    spec.optimizer.dispose();
  }
  return { steps: step, stopped, metrics };
}

/**
 * Items in the order of per-epoch permutations, as one endless stream: item k is element
 * k mod n of epoch ⌊k / n⌋'s permutation. A function of (seed, k), so a resumed run reads the
 * same items as a straight one.
 */
export function epochStream<T>(items: T[], seed: number): (k: number) => T {
  const n = items.length;
  let current = { epoch: -1, order: [] as number[] };
  return (k) => {
    const epoch = Math.floor(k / n);
    if (current.epoch !== epoch) current = { epoch, order: permutation(n, seed * 1000003 + epoch) };
    return items[current.order[k % n]];
  };
}

/** The `size` items of step `step` from an epoch stream. */
export function batchAt<T>(at: (k: number) => T, step: number, size: number): T[] {
  return Array.from({ length: size }, (_, i) => at(step * size + i));
}
