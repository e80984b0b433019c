// Products on JS arrays through tfjs-wasm's XNNPACK kernel, without the tf.js engine.
//
// WHY: attention's per-head products (~1 MFLOP each) and a decoding step's single-row products
// are so small that the engine's bookkeeping around them (Tensor objects, tracking, kernel
// lookup, disposal: three tensors per product) costs about as much as the product. Here the
// registered wasm BatchMatMul kernel is called on backend buffers directly: inputs are copied
// into the wasm heap by write(), the result is copied out by readSync(), and every buffer this
// creates is freed before returning, so nothing can leak. On other backends the same functions
// go through ordinary tf ops.
import * as tf from '@tensorflow/tfjs-core';

type WasmKernelBackend = {
  write(values: Float32Array, shape: number[], dtype: 'float32'): object;
  readSync(dataId: object): Float32Array;
  disposeData(dataId: object): void;
};

function wasmKernel(): { backend: WasmKernelBackend; kernel: tf.KernelConfig } | null {
  if (tf.getBackend() !== 'wasm') return null;
  const kernel = tf.getKernel('BatchMatMul', 'wasm');
  return kernel ? { backend: tf.backend() as unknown as WasmKernelBackend, kernel } : null;
}

function run(k: { backend: WasmKernelBackend; kernel: tf.KernelConfig }, a: tf.TensorInfo, b: tf.TensorInfo): Float32Array {
  const out = k.kernel.kernelFunc({
    inputs: { a, b },
    backend: k.backend as unknown as tf.KernelBackend,
    attrs: { transposeA: false, transposeB: false },
  }) as tf.TensorInfo;
  const values = k.backend.readSync(out.dataId);
  k.backend.disposeData(out.dataId);
  return values;
}

/**
 * Values of t, then t is disposed. (Reading inside tf.tidy and returning the typed array would
 * make tidy walk every element looking for tensors: seconds for a million floats.)
 */
function readAndDispose(t: tf.Tensor): Float32Array {
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}

/** a [M, K] · b [K, N], both JS arrays → [M, N]. */
export function mmArrays(a: Float32Array, b: Float32Array, M: number, K: number, N: number): Float32Array {
  const k = wasmKernel();
  if (k) {
    const ai = { dataId: k.backend.write(a, [1, M, K], 'float32'), shape: [1, M, K], dtype: 'float32' as const };
    const bi = { dataId: k.backend.write(b, [1, K, N], 'float32'), shape: [1, K, N], dtype: 'float32' as const };
    try {
      return run(k, ai, bi);
    } finally {
      k.backend.disposeData(ai.dataId);
      k.backend.disposeData(bi.dataId);
    }
  }
  return readAndDispose(tf.tidy(() => tf.matMul(tf.tensor3d(a, [1, M, K]), tf.tensor3d(b, [1, K, N]))));
}

/**
 * a [M, K] (JS) · w [K, N] (a weight tensor, used in place) → [M, N]. XNNPACK keeps the packed
 * operator of w between calls (it is cached by w's buffer), so decoding pays for packing once.
 */
export function mmWeight(a: Float32Array, M: number, w: tf.Tensor2D): Float32Array {
  const K = w.shape[0];
  const k = wasmKernel();
  if (k) {
    const ai = { dataId: k.backend.write(a, [M, K], 'float32'), shape: [M, K], dtype: 'float32' as const };
    try {
      return run(k, ai, w);
    } finally {
      k.backend.disposeData(ai.dataId);
    }
  }
  return readAndDispose(tf.tidy(() => tf.matMul(tf.tensor2d(a, [M, K]), w)));
}
