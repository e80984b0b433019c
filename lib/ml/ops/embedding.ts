// Row lookup table[ids] with a gradient that works on every backend.
//
// WHY: tf.gather's gradient is UnsortedSegmentSum, which tfjs-backend-wasm does not implement
// (training fails with "kernel not registered"). The one-hot × matrix alternative costs
// V×C per token and V-wide one-hot tensors (200 MB per batch for GPT-2's 50k vocabulary), so
// instead the forward stays a gather and the backward is a scatter-add done in JS: N·C adds.
import * as tf from '@tensorflow/tfjs-core';
import { recordingGradients, useFastKernels } from './mode';

/** table [V, C], ids int32 [N] → [N, C], gradient by JS scatter-add. */
function checkedIds(ids: tf.Tensor1D, V: number): Int32Array | Float32Array | Uint8Array {
  // eslint-disable-next-line hone/no-sync-read -- wasm fast kernel only (useFastKernels): host memory
  const idx = ids.dataSync() as Int32Array;
  for (let n = 0; n < idx.length; n++) {
    if (idx[n] < 0 || idx[n] >= V) throw new Error(`token id ${idx[n]} out of range for a vocabulary of ${V}`);
  }
  return idx;
}

export function fastEmbedding(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const [V, C] = table.shape;
  const idx = checkedIds(ids, V);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.gather(args[0] as tf.Tensor2D, ids) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor2D) => {
      // eslint-disable-next-line hone/no-sync-read -- wasm fast kernel only (useFastKernels): host memory
      const g = dy.dataSync() as Float32Array;
      const dw = new Float32Array(V * C);
      for (let n = 0; n < idx.length; n++) {
        const src = n * C;
        const dst = idx[n] * C;
        for (let c = 0; c < C; c++) dw[dst + c] += g[src + c];
      }
      return tf.tensor2d(dw, [V, C]);
    },
  }));
  return f(table) as tf.Tensor2D;
}

/** table [V, C], ids int32 [N] → [N, C]. */
export function embedding(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  if (!useFastKernels()) return tf.gather(table, ids) as tf.Tensor2D;
  if (recordingGradients()) return fastEmbedding(table, ids);
  checkedIds(ids, table.shape[0]); // tfjs-wasm's gather does not check its indices
  return tf.gather(table, ids) as tf.Tensor2D;
}
