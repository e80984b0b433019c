// Reading tensors back to the host, asynchronously. On WebGPU in Node a GPU tensor can only be
// read with `await` (no OffscreenCanvas, no blocking map: see docs/gpu.md), and every read waits
// for the GPU's queue to drain, so training code reads once per optimizer step: the scalars a
// step logs are gathered into one tensor and come back in one read. On the CPU backends (wasm,
// native TensorFlow, plain JS) the same code costs one concat of a few scalars.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Reads named scalar tensors (plain numbers pass through) in one round trip and disposes the
 * tensors. A tensor of several elements contributes its sum.
 */
export async function readScalars<K extends string>(named: Record<K, tf.Tensor | number>): Promise<Record<K, number>> {
  const keys = Object.keys(named) as K[];
  const tensorKeys = keys.filter((k) => typeof named[k] !== 'number');
  const out = {} as Record<K, number>;
  for (const k of keys) if (typeof named[k] === 'number') out[k] = named[k] as number;
  if (!tensorKeys.length) return out;
  const tensors = tensorKeys.map((k) => named[k] as tf.Tensor);
  const packed = tf.tidy(() => tf.stack(tensors.map((t) => (t.rank === 0 ? tf.cast(t, 'float32') : tf.sum(tf.cast(t, 'float32'))))));
  tf.dispose(tensors);
  try {
    const values = await packed.data();
    tensorKeys.forEach((k, i) => (out[k] = values[i]));
  } finally {
    packed.dispose();
  }
  return out;
}

/** Reads several tensors' values in one round trip (flattened, float32) and disposes them. */
export async function readFlat(tensors: tf.Tensor[]): Promise<Float32Array[]> {
  if (!tensors.length) return [];
  const packed = tf.tidy(() => tf.concat(tensors.map((t) => tf.reshape(tf.cast(t, 'float32'), [-1]))));
  const sizes = tensors.map((t) => t.size);
  tf.dispose(tensors);
  try {
    const all = (await packed.data()) as Float32Array;
    const out: Float32Array[] = [];
    let at = 0;
    for (const n of sizes) {
      out.push(all.slice(at, at + n));
      at += n;
    }
    return out;
  } finally {
    packed.dispose();
  }
}

/** Flat row-major values of a [rows, cols] tensor as rows of numbers. */
export function toRows(values: Float32Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from(values.subarray(r * cols, (r + 1) * cols)));
}
