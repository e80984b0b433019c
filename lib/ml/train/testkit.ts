// Helpers for the trainer tests only (tiny data, weight snapshots, crash-and-resume harness).
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../backend';
import { GPT } from '../model/gpt';
import { PRESETS } from '../model/config';
import { rng } from './common';
import type { ResumeState } from './common';

/**
 * The backend the ML suite runs on: WebAssembly by default (the zero-install fallback), native
 * TensorFlow in the vitest project `tensorflow` (vitest.config.ts sets HONE_TEST_BACKEND), so the
 * same tests prove both.
 */
export const TEST_BACKEND = (process.env.HONE_TEST_BACKEND || 'wasm') as BackendName;

export async function testBackend(): Promise<void> {
  await initBackend({ backend: TEST_BACKEND });
}

export function nano(seed = 1): GPT {
  return new GPT(PRESETS.nano, { seed });
}

/** Random lowercase words from `alphabet`. */
export function randomText(r: () => number, length: number, alphabet = 'abcdefghij '): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

export { rng };

export function weightsOf(params: Map<string, tf.Tensor>): Map<string, Float32Array> {
  return new Map([...params].map(([k, v]) => [k, v.dataSync().slice() as Float32Array]));
}

export function maxAbsDiff(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  let m = 0;
  for (const [k, x] of a) {
    const y = b.get(k)!;
    for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  }
  return m;
}

/** max |a − b| / max(|b|, 1e-6) over all elements: how far two same-shaped tensors differ, relative to b's scale. */
export function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  if (a.shape.join(',') !== b.shape.join(',')) throw new Error(`shapes differ: [${a.shape}] vs [${b.shape}]`);
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  let scale = 1e-6;
  for (let i = 0; i < x.length; i++) {
    worst = Math.max(worst, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return worst / scale;
}

/** Names of the tensors whose values did not change at all. */
export function unchanged(before: Map<string, Float32Array>, after: Map<string, Float32Array>): string[] {
  return [...before].filter(([k, x]) => after.get(k)!.every((v, i) => v === x[i])).map(([k]) => k);
}

/** A saved checkpoint as the tests keep it: weights by name plus the resume state. */
export type SavedState = { weights: Map<string, tf.Tensor>[]; resume: ResumeState };

export function saveState(
  step: number,
  models: Map<string, tf.Tensor>[],
  optimizerState: Map<string, tf.Tensor>,
  trainerState: unknown,
): SavedState {
  const copy = (m: Map<string, tf.Tensor>) => new Map([...m].map(([k, v]) => [k, tf.clone(v)]));
  return {
    weights: models.map(copy),
    resume: { step, optimizerState: copy(optimizerState), trainerState: JSON.parse(JSON.stringify(trainerState)) },
  };
}

export function disposeState(s: SavedState | undefined): void {
  if (!s) return;
  for (const m of s.weights) for (const t of m.values()) t.dispose();
  for (const t of s.resume.optimizerState?.values() ?? []) t.dispose();
}
