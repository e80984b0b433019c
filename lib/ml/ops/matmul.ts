// Matrix products (and the transposes they need) in the forms tfjs-wasm runs fast.
//
// WHY: tfjs-backend-wasm's BatchMatMul hands a product to XNNPACK only when both operands are
// rank 3 with batch 1 and neither transpose flag is set (~40 GFLOP/s on one core here). Any
// other call — transposeA/transposeB, or a batch > 1 — runs a scalar loop at 1–3 GFLOP/s, and
// tf.matMul's own gradient uses exactly those transpose flags, so the whole backward pass would
// crawl. These ops reshape to [1, M, K]·[1, K, N], transpose explicitly, and define their
// gradients with tf.customGrad so the backward products take the same fast form.
import * as tf from '@tensorflow/tfjs-core';
import { recordingGradients, useFastKernels, useNativeKernels } from './mode';
import { nativeLinear, nativeMatMulNT } from './native';

/** a [M, K] · b [K, N] (+ bias [N]) through XNNPACK's batch-1, no-transpose path. */
export function xnnMatMul(a: tf.Tensor2D, b: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor2D {
  const [M, K] = a.shape;
  const N = b.shape[1];
  const a3 = tf.reshape(a, [1, M, K]) as tf.Tensor3D;
  const b3 = tf.reshape(b, [1, K, N]) as tf.Tensor3D;
  const y = tf.reshape(tf.matMul(a3, b3), [M, N]) as tf.Tensor2D;
  // A separate broadcast add: measured no slower than fusing the bias into XNNPACK's operator.
  return bias ? tf.add(y, bias) : y;
}

/**
 * xᵀ for a 2-D x [M, K].
 * WHY: tfjs-wasm's 2-D Transpose walks the output with a stride of M floats and runs at
 * ~10–20 ns per element here (slower than the products it feeds). Viewing x as [M/8, 8, K] and
 * permuting to [K, M/8, 8] is the same transpose but writes runs of 8 contiguous floats: ~4×
 * faster, about the cost of a copy.
 */
export function transpose2d(x: tf.Tensor2D): tf.Tensor2D {
  const [M, K] = x.shape;
  for (const g of [8, 4]) {
    if (M % g === 0 && M > g) return tf.reshape(tf.transpose(tf.reshape(x, [M / g, g, K]), [2, 0, 1]), [K, M]);
  }
  return tf.transpose(x);
}

/** aᵀ·b for a [M, K], b [M, N] → [K, N], transposing whichever side is cheaper. */
function xnnMatMulTN(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const [M, K] = a.shape;
  const N = b.shape[1];
  // aᵀ·b directly costs a transpose of a (M·K); (bᵀ·a)ᵀ costs bᵀ (M·N) plus a K·N transpose.
  if (M * K <= M * N + K * N) return xnnMatMul(transpose2d(a), b);
  return transpose2d(xnnMatMul(transpose2d(b), a));
}

/** Σ over rows of dy [M, N] → [N], as the product 1ᵀ·dy (reductions over axis 0 transpose first in tfjs-wasm). */
export function sumRows(dy: tf.Tensor2D): tf.Tensor1D {
  const [M, N] = dy.shape;
  return tf.reshape(xnnMatMul(tf.ones([1, M]) as tf.Tensor2D, dy), [N]);
}

/** y = a · b with fast-form gradients: da = dy · bᵀ, db = aᵀ · dy. */
export const fastMatMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: xnnMatMul(a, b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as tf.Tensor2D[];
      return [xnnMatMul(dy, transpose2d(sb)), xnnMatMulTN(sa, dy)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** y = a · bᵀ (b is [N, K], e.g. the tied embedding) with fast-form gradients: da = dy · b, db = dyᵀ · a. */
export const fastMatMulNT = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: xnnMatMul(a, transpose2d(b)),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as tf.Tensor2D[];
      return [xnnMatMul(dy, sb), xnnMatMulTN(dy, sa)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** HF Conv1D y = x·w + b in one op: dx = dy·wᵀ, dw = xᵀ·dy, db = 1ᵀ·dy. */
export const fastLinear = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: xnnMatMul(x, w, b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [sx, sw] = saved as tf.Tensor2D[];
      return [xnnMatMul(dy, transpose2d(sw)), xnnMatMulTN(sx, dy), sumRows(dy)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/** a [M, K] · b [K, N], fast form on wasm, plain tf.matMul elsewhere. */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (!useFastKernels()) return tf.matMul(a, b);
  return recordingGradients() ? fastMatMul(a, b) : xnnMatMul(a, b);
}

/** a [M, K] · b [N, K]ᵀ → [M, N]. */
export function matMulNT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (useNativeKernels()) return nativeMatMulNT(a, b);
  if (!useFastKernels()) return tf.matMul(a, b, false, true);
  return recordingGradients() ? fastMatMulNT(a, b) : xnnMatMul(a, transpose2d(b));
}

/** HF Conv1D: x [M, in] · w [in, out] + b [out]. */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  if (useNativeKernels()) return nativeLinear(x, w, b);
  if (!useFastKernels()) return tf.add(tf.matMul(x, w), b);
  return recordingGradients() ? fastLinear(x, w, b) : xnnMatMul(x, w, b);
}
