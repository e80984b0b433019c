// TensorFlow's own fused ops on the native backend (@tensorflow/tfjs-node), called directly.
//
// WHY: tfjs-node runs each tf.js kernel as one eager TensorFlow op, so a training step costs its
// number of ops times the per-op bookkeeping (~15–30 µs here) plus each op's pass over memory.
// tf.js composes LayerNorm, gelu_new, log-softmax with a one-hot gather, the bias gradient and
// Adam out of many full-size elementwise ops, and never calls TensorFlow's fused kernels for
// them. TensorFlow has them: BiasAdd/BiasAddGrad, SparseSoftmaxCrossEntropyWithLogits (loss and
// its gradient in one pass, no [N, V] one-hot), SigmoidGrad, L2Loss, AddN and ResourceApplyAdam.
// These functions call them through the backend's executeSingleOutput (the door tfjs-node's own
// kernels use) and define their gradients with tf.customGrad: an SFT step on `small` runs about a
// third of the ops the plain tf.js graph runs. Raw ops do not go through tf.js's kernel registry,
// so they are never recorded on the gradient tape: each one is used inside a customGrad (or where
// no gradient flows), never bare inside a differentiated function.
//
// Everything here needs tf.getBackend() === 'tensorflow'; callers check `nativeOps()`.
import * as tf from '@tensorflow/tfjs-core';
import { recordingGradients } from './mode';

type OpAttr = { name: string; type: number; value: unknown };

/** What tfjs-node's NodeJSKernelBackend offers (dist/nodejs_kernel_backend.d.ts), the part used here. */
type NativeBackend = {
  binding: {
    TF_FLOAT: number;
    TF_INT32: number;
    TF_ATTR_BOOL: number;
    TF_ATTR_TYPE: number;
    TF_ATTR_INT: number;
    TF_ATTR_FLOAT: number;
    TF_ATTR_STRING: number;
    TF_ATTR_SHAPE: number;
  };
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.Tensor[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.Tensor[], numOutputs: number): tf.Tensor[];
};

/** Attribute values by name: booleans, numbers (int unless listed in `floats`), strings, dtypes. */
type Attrs = Record<string, boolean | number | string | { dtype: 'float32' | 'int32' } | { shape: number[] }>;

/** The live native backend, or null on any other backend. */
export function nativeOps(): NativeBackend | null {
  return tf.getBackend() === 'tensorflow' ? (tf.backend() as unknown as NativeBackend) : null;
}

function api(): NativeBackend {
  const be = nativeOps();
  if (!be) throw new Error(`native TensorFlow op called on the "${tf.getBackend()}" backend`);
  return be;
}

const FLOAT_ATTRS = new Set(['epsilon', 'alpha']);

function toAttrs(be: NativeBackend, attrs: Attrs): OpAttr[] {
  const b = be.binding;
  return Object.entries(attrs).map(([name, v]) => {
    if (typeof v === 'boolean') return { name, type: b.TF_ATTR_BOOL, value: v };
    if (typeof v === 'string') return { name, type: b.TF_ATTR_STRING, value: v };
    if (typeof v === 'number') return { name, type: FLOAT_ATTRS.has(name) ? b.TF_ATTR_FLOAT : b.TF_ATTR_INT, value: v };
    if ('shape' in v) return { name, type: b.TF_ATTR_SHAPE, value: v.shape };
    return { name, type: b.TF_ATTR_TYPE, value: v.dtype === 'int32' ? b.TF_INT32 : b.TF_FLOAT };
  });
}

const F32 = { dtype: 'float32' } as const;

/** One TensorFlow op with one output. */
export function op(name: string, inputs: tf.Tensor[], attrs: Attrs = { T: F32 }): tf.Tensor {
  const be = api();
  return be.executeSingleOutput(name, toAttrs(be, attrs), inputs);
}

/** One TensorFlow op with `n` outputs (0 for ops that only change state). */
export function opN(name: string, inputs: tf.Tensor[], n: number, attrs: Attrs = { T: F32 }): tf.Tensor[] {
  const be = api();
  return be.executeMultipleOutputs(name, toAttrs(be, attrs), inputs, n);
}

// ---- products ---------------------------------------------------------------------------------

/**
 * a [M, K] · b, b as [K, N] or, with transposeB, [N, K]; transposeA reads a as [K, M].
 * BatchMatMulV2, never MatMul: TensorFlow 2.21's CPU MatMul kernel (MklMatMulOp, oneDNN's
 * sgemm "nocopy" driver) corrupts the heap now and then (glibc aborts with "corrupted size vs.
 * prev_size" inside sgemm_nocopy_driver; reproduced here with small M under a sampling
 * profiler, and the same trace is tfjs issue #8312). BatchMatMulV2 on 2-D operands is the same
 * product through oneDNN's matmul primitive, and is what tfjs-node's own kernels call.
 */
export function mm(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor2D {
  return op('BatchMatMulV2', [a, b], { adj_x: transposeA, adj_y: transposeB, T: F32 }) as tf.Tensor2D;
}

/** x [M, N] + bias [N] over the last axis. */
function biasAdd(x: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  return op('BiasAdd', [x, bias], { T: F32, data_format: 'NHWC' });
}

/** Σ of dy over every axis but the last: the bias gradient, one pass (tf.sum over axis 0 transposes). */
export function sumToLast(dy: tf.Tensor): tf.Tensor1D {
  return op('BiasAddGrad', [dy], { T: F32, data_format: 'NHWC' }) as tf.Tensor1D;
}

/** HF Conv1D y = x·w + b as MatMul + BiasAdd; dx = dy·wᵀ, dw = xᵀ·dy, db = Σ_rows dy. */
export const nativeLinear = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: biasAdd(mm(x, w), b) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [sx, sw] = saved as tf.Tensor2D[];
      return [mm(dy, sw, false, true), mm(sx, dy, true, false), sumToLast(dy)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/** a [M, K] · b [N, K]ᵀ (the tied lm head): da = dy·b, db = dyᵀ·a. No transposed copy of b. */
export const nativeMatMulNT = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: mm(a, b, false, true),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as tf.Tensor2D[];
      return [mm(dy, sb), mm(dy, sa, true, false)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

// ---- LayerNorm and gelu_new ---------------------------------------------------------------------

function meanLast(x: tf.Tensor): tf.Tensor {
  return op('Mean', [x, tf.scalar(-1, 'int32')], { keep_dims: true, T: F32, Tidx: { dtype: 'int32' } });
}

/**
 * LayerNorm over the last axis of x [N, C] with the standard backward
 * dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)), ĝ = dy·γ; dγ = Σ_rows dy·x̂; dβ = Σ_rows dy.
 */
export function nativeLayerNorm(x: tf.Tensor2D, weight: tf.Tensor1D, bias: tf.Tensor1D, eps: number): tf.Tensor2D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, g, b, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const xc = op('Sub', [xi, meanLast(xi)]); // [N, C]
    const rstd = op('Rsqrt', [op('AddV2', [meanLast(op('Square', [xc])), tf.scalar(eps)])]); // [N, 1]
    const xhat = op('Mul', [xc, rstd]); // [N, C]
    save([xhat, rstd, g]);
    return {
      value: biasAdd(op('Mul', [xhat, g]), b) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [sxhat, srstd, sg] = saved;
        const gh = op('Mul', [dy, sg]); // [N, C]
        const centred = op('Sub', [gh, meanLast(gh)]);
        const dx = op('Mul', [op('Sub', [centred, op('Mul', [sxhat, meanLast(op('Mul', [gh, sxhat]))])]), srstd]);
        return [dx, sumToLast(op('Mul', [dy, sxhat])), sumToLast(dy)];
      },
    };
  });
  return f(x, weight, bias) as tf.Tensor2D;
}

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/**
 * gelu_new(x) = 0.5·x·(1 + tanh(u)) = x·σ(2u), u = c·(x + a·x³): six ops forward. When a
 * gradient records, the forward also forms the local derivative
 *   g'(x) = s + x·s·(1 − s)·d(2u)/dx,  s = σ(2u)   (the middle term one SigmoidGrad)
 * and keeps only it, so the backward is one product and one [N, 4C] tensor is saved instead of
 * three (the MLP's activations are the largest a GPT-2 step keeps).
 */
export const nativeGeluNew = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
  const x2 = op('Square', [x]);
  const s = op('Sigmoid', [op('Mul', [x, op('AddV2', [op('Mul', [x2, tf.scalar(2 * GELU_C * GELU_A)]), tf.scalar(2 * GELU_C)])])]); // σ(2u)
  if (recordingGradients()) {
    const dTwoU = op('Mul', [x, op('AddV2', [op('Mul', [x2, tf.scalar(6 * GELU_C * GELU_A)]), tf.scalar(2 * GELU_C)])]); // x·d(2u)/dx
    save([op('AddV2', [s, op('SigmoidGrad', [s, dTwoU])])]);
  }
  return {
    value: op('Mul', [x, s]) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => op('Mul', [dy, saved[0]]),
  };
}) as (x: tf.Tensor2D) => tf.Tensor2D;

// ---- token log-probabilities ----------------------------------------------------------------------

/**
 * log softmax(logits / temperature)[label] per row, with TensorFlow's fused
 * SparseSoftmaxCrossEntropyWithLogits: one pass gives −log p(label) and its gradient
 * softmax − onehot, so no [N, V] one-hot or log-softmax is ever materialised.
 *                                                               logits [N, V], labels int32 [N] → [N]
 */
export function nativeLabelLogprobs(logits: tf.Tensor2D, labels: tf.Tensor1D, temperature = 1): tf.Tensor1D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [l, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const scaled = temperature === 1 ? l : op('Mul', [l, tf.scalar(1 / temperature)]);
    const [nll, backprop] = opN('SparseSoftmaxCrossEntropyWithLogits', [scaled, tf.cast(labels, 'int32')], 2, { T: F32, Tlabels: { dtype: 'int32' } });
    save([backprop]);
    return {
      value: op('Neg', [nll]) as tf.Tensor1D,
      // d log p / d logits = (onehot − softmax) / T = −backprop / T, times dy per row.
      gradFunc: (dy: tf.Tensor1D, saved: tf.Tensor[]) => op('Mul', [saved[0], op('Reshape', [op('Mul', [dy, tf.scalar(-1 / temperature)]), tf.tensor1d([-1, 1], 'int32')], { T: F32, Tshape: { dtype: 'int32' } })]),
    };
  });
  return f(logits) as tf.Tensor1D;
}

// ---- optimizer helpers --------------------------------------------------------------------------

/** Σ ‖g‖² over all tensors: one L2Loss per tensor and one AddN.                        → [] */
export function sumOfSquares(tensors: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    const halves = tensors.map((t) => op('L2Loss', [t])); // Σ t² / 2 each
    return op('Mul', [halves.length === 1 ? halves[0] : op('AddN', halves, { N: halves.length, T: F32 }), tf.scalar(2)]) as tf.Scalar;
  });
}

/**
 * A TensorFlow resource variable holding one tensor: what ResourceApplyAdam updates in place.
 * Variables made with VarHandleOp live in the eager context until DestroyResourceOp, so
 * dispose() must be called.
 */
let nextVariable = 0;
export class ResourceVariable {
  readonly handle: tf.Tensor;
  constructor(init: tf.Tensor) {
    // Kept: a handle made inside a tidy() must outlive it.
    this.handle = tf.keep(op('VarHandleOp', [], { container: '', shared_name: `hone_var_${process.pid}_${nextVariable++}`, dtype: F32, shape: { shape: init.shape } }));
    this.write(init);
  }
  write(value: tf.Tensor): void {
    opN('AssignVariableOp', [this.handle, value], 0, { dtype: F32, validate_shape: false });
  }
  read(): tf.Tensor {
    return op('ReadVariableOp', [this.handle], { dtype: F32 });
  }
  dispose(): void {
    if (nativeOps()) opN('DestroyResourceOp', [this.handle], 0, { ignore_lookup_error: true });
    this.handle.dispose();
  }
}

/**
 * One Adam step in TensorFlow's fused kernel: m, v and the parameter are updated in place in one
 * pass. TensorFlow's form is lr_t = lr·√(1 − β2ᵗ)/(1 − β1ᵗ), p −= lr_t·m/(√v + ε̂); with
 * ε̂ = ε·√(1 − β2ᵗ) this is exactly PyTorch's (m/(1 − β1ᵗ))/(√(v/(1 − β2ᵗ)) + ε).
 * `scalars` are [β1ᵗ, β2ᵗ, lr, β1, β2, ε̂] as float32 scalars (shared by every parameter).
 */
export function applyAdam(p: ResourceVariable, m: ResourceVariable, v: ResourceVariable, scalars: tf.Scalar[], grad: tf.Tensor): void {
  opN('ResourceApplyAdam', [p.handle, m.handle, v.handle, ...scalars, grad], 0, { T: F32, use_locking: false, use_nesterov: false });
}

/** p −= alpha·delta in place (AdamW's decoupled decay with delta = p). */
export function applyGradientDescent(p: ResourceVariable, alpha: tf.Scalar, delta: tf.Tensor): void {
  opN('ResourceApplyGradientDescent', [p.handle, alpha, delta], 0, { T: F32, use_locking: false });
}
