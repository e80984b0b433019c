// LayerNorm and gelu_new with hand-written gradients.
//
// WHY: composed from tf ops, their autodiff graphs are long chains of full-size elementwise
// kernels plus reductions over axis 0 for γ/β (which tfjs-wasm runs by transposing first), and
// gelu_new's x³ (tf.pow) and tanh are scalar loops on wasm (~30–40 ms per million elements,
// against ~2 ms for sigmoid). Here: gelu_new(x) = 0.5·x·(1 + tanh(u)) = x·σ(2u) exactly, the
// cube is x·x·x, and the backward passes are a few fused-in-spirit elementwise ops with
// row sums done as products (ops/matmul sumRows). The plain versions stay for other backends.
import * as tf from '@tensorflow/tfjs-core';
import { sumRows } from './matmul';
import { recordingGradients, useFastKernels, useNativeKernels } from './mode';
import { nativeGeluNew, nativeLayerNorm } from './native';

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/** HF gelu_new (tanh approximation), plain ops. */
export function geluNewPlain(x: tf.Tensor2D): tf.Tensor2D {
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), GELU_A)), GELU_C);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/** gelu_new as x·σ(2c(x + a·x³)) with gradient s + x·s(1−s)·2c(1 + 3a·x²). */
/** σ(2c(x + a·x³)), the gate of gelu_new written as x·σ(2u). */
function geluGate(x: tf.Tensor2D): tf.Tensor2D {
  return tf.sigmoid(tf.mul(x, tf.add(tf.mul(tf.mul(x, x), 2 * GELU_C * GELU_A), 2 * GELU_C))) as tf.Tensor2D;
}

export const geluNewFast = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
  const s = geluGate(x);
  save([x, s]);
  return {
    value: tf.mul(x, s) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [sx, ss] = saved;
      const du = tf.add(tf.mul(tf.mul(sx, sx), 6 * GELU_C * GELU_A), 2 * GELU_C); // d(2u)/dx
      const ds = tf.mul(tf.mul(ss, tf.sub(1, ss)), tf.mul(sx, du)); // x·σ'(2u)·d(2u)/dx
      return tf.mul(dy, tf.add(ss, ds));
    },
  };
}) as (x: tf.Tensor2D) => tf.Tensor2D;

export function geluNew(x: tf.Tensor2D): tf.Tensor2D {
  if (useNativeKernels()) return nativeGeluNew(x);
  if (!useFastKernels()) return geluNewPlain(x);
  return recordingGradients() ? geluNewFast(x) : tf.mul(x, geluGate(x));
}

/** LayerNorm over the last axis, plain ops. */
export function layerNormPlain(x: tf.Tensor2D, weight: tf.Tensor1D, bias: tf.Tensor1D, eps: number): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true); // [N, 1]
  const xhat = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))); // [N, C]
  return tf.add(tf.mul(xhat, weight), bias);
}

/**
 * LayerNorm with the standard backward:
 * dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = dy·γ; dγ = Σ dy·x̂; dβ = Σ dy.
 */
export function layerNormFast(x: tf.Tensor2D, weight: tf.Tensor1D, bias: tf.Tensor1D, eps: number): tf.Tensor2D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, g, b, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const xc = tf.sub(xi, tf.mean(xi, -1, true)); // [N, C]
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.mul(xc, xc), -1, true), eps)); // [N, 1]
    const xhat = tf.mul(xc, rstd); // [N, C]
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [sxhat, srstd, sg] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const gh = tf.mul(dy, sg); // [N, C]
        const dx = tf.mul(tf.sub(tf.sub(gh, tf.mean(gh, -1, true)), tf.mul(sxhat, tf.mean(tf.mul(gh, sxhat), -1, true))), srstd);
        return [dx, sumRows(tf.mul(dy, sxhat) as tf.Tensor2D), sumRows(dy)];
      },
    };
  });
  return f(x, weight, bias) as tf.Tensor2D;
}

export function layerNorm(x: tf.Tensor2D, weight: tf.Tensor1D, bias: tf.Tensor1D, eps: number): tf.Tensor2D {
  if (useNativeKernels()) return nativeLayerNorm(x, weight, bias, eps);
  if (!useFastKernels() || !recordingGradients()) return layerNormPlain(x, weight, bias, eps);
  return layerNormFast(x, weight, bias, eps);
}
