// Small pure helpers the trainers share: callback types, seeded shuffling, length-bucketed
// batches, padding, and the activation-memory guard. The loop itself is train/loop.ts.
import * as tf from '@tensorflow/tfjs-core';
import { assertWasmHeapFits } from '../backend';
import type { GPTConfig } from '../model/config';

export type StepReport = { step: number; totalSteps: number; metrics: Record<string, number> };

export type TrainerCallbacks<S> = {
  /** After every optimizer step (`step` counts completed steps, 1-based). */
  onStep?(m: StepReport): void | Promise<void>;
  /** Every `checkpointEvery` steps, on a stop request, at the end, and (SFT) on a new best. */
  onCheckpoint?(state: S): Promise<void>;
  /** Polled before each step; true stops after a final onCheckpoint. */
  shouldStop?(): boolean | Promise<boolean>;
};

/**
 * What a killed job needs to continue exactly where its last checkpoint was taken: the number
 * of completed steps, the optimizer's moments, and the trainer's own JSON state. The weights
 * come with the model(s) the caller loads from that checkpoint.
 */
export type ResumeState = {
  step: number;
  optimizerState?: Map<string, tf.Tensor>;
  trainerState?: unknown;
};

/** Mulberry32 PRNG: deterministic from its seed, so data order is a function of (seed, epoch). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A permutation of 0..n−1 drawn from `seed`. */
export function permutation(n: number, seed: number): number[] {
  const r = rng(seed);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Deterministic held-out split: `fraction` of the items (at least one when there are ≥ 2). */
export function splitHoldout<T>(items: T[], fraction: number, seed: number): { train: T[]; heldOut: T[] } {
  if (fraction <= 0 || items.length < 2) return { train: items, heldOut: [] };
  const n = Math.min(items.length - 1, Math.max(1, Math.round(items.length * fraction)));
  const p = permutation(items.length, seed ^ 0x5bd1e995);
  const held = new Set(p.slice(0, n));
  return { train: items.filter((_, i) => !held.has(i)), heldOut: items.filter((_, i) => held.has(i)) };
}

/**
 * Length-bucketed batches for one epoch: shuffle, cut into groups of 50 batches, sort each group
 * by length, slice into batches, shuffle the batch order. Similar lengths share a batch (less
 * padding) while the epoch stays random. A function of (lengths, batchSize, seed, epoch) only.
 */
export function bucketedBatches(lengths: number[], batchSize: number, seed: number, epoch: number): number[][] {
  const order = permutation(lengths.length, seed * 1000003 + epoch);
  const group = batchSize * 50;
  const batches: number[][] = [];
  for (let g = 0; g < order.length; g += group) {
    const chunk = order.slice(g, g + group).sort((a, b) => lengths[a] - lengths[b]);
    for (let i = 0; i < chunk.length; i += batchSize) batches.push(chunk.slice(i, i + batchSize));
  }
  const shuffle = permutation(batches.length, seed * 7919 + epoch + 1);
  return shuffle.map((i) => batches[i]);
}

/** Right-pads rows to the longest; mask 1 on real tokens. */
export function padRight(seqs: number[][], padId: number, width?: number): { ids: number[][]; mask: number[][]; T: number } {
  const T = width ?? Math.max(1, ...seqs.map((s) => s.length));
  return {
    ids: seqs.map((s) => [...s, ...new Array<number>(T - s.length).fill(padId)]),
    mask: seqs.map((s) => [...new Array<number>(s.length).fill(1), ...new Array<number>(T - s.length).fill(0)]),
    T,
  };
}

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Copies of the named tensors (for best-weights snapshots and checkpoint states). */
export function snapshot(params: Map<string, tf.Tensor>): Map<string, tf.Tensor> {
  return new Map([...params].map(([k, v]) => [k, tf.clone(v)]));
}

export function disposeMap(m: Map<string, tf.Tensor> | undefined): void {
  if (m) for (const t of m.values()) t.dispose();
}

/**
 * Rough bytes a forward + backward of `rows` × `T` tokens keeps alive (float32): per layer the
 * residual, LayerNorm, qkv, attention output and MLP activations (~16·C) plus the attention
 * probabilities (2·H·T), and the logits with their softmax and gradient (3·V). Used to fail early
 * with a clear message instead of a wasm "Cannot enlarge memory" abort (4 GiB heap).
 */
export function guardActivations(config: GPTConfig, rows: number, T: number, what: string, withLogits = true): void {
  const perToken = config.nLayer * (16 * config.nEmbd + 2 * config.nHead * T) + (withLogits ? 3 * config.vocabSize : 0);
  assertWasmHeapFits(4 * rows * T * perToken, what);
}

/**
 * Lets timers and I/O run between steps (a macrotask, not just a microtask), so a host process
 * keeps renewing job locks and answering signals while a long CPU-bound run trains.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
