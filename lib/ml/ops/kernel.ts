// Products on JS arrays through tfjs-wasm's XNNPACK kernel, without the tf.js engine.
//
// WHY: attention's per-head products (~1 MFLOP each) and a decoding step's single-row products
// are so small that the engine's bookkeeping around them (Tensor objects, tracking, kernel
// lookup, disposal: three tensors per product) costs about as much as the product. Here the
// registered wasm BatchMatMul kernel is called on backend buffers directly: inputs are copied
// into the wasm heap by write(), the result is copied out by readSync(), and every buffer this
// creates is freed before returning, so nothing can leak. On the native backend (tfjs-node) the
// same holds one level down: mmWeight hands the row to TensorFlow's MatMul through the binding
// (create, execute, read, delete: no tf.js Tensor objects), which is what lets the decoding path
// of ops/decode serve tfjs-node too. On other backends the same functions go through ordinary
// tf ops.
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

/** The part of tfjs-node's binding and backend that a raw product needs. */
type NativeBinding = {
  TF_FLOAT: number;
  TF_ATTR_BOOL: number;
  TF_ATTR_TYPE: number;
  TF_ATTR_INT: number;
  TF_INT32: number;
  createTensor(shape: number[], dtype: number, values: Float32Array | Int32Array): number;
  executeOp(name: string, attrs: unknown[], inputs: number[], outputs: number): { id: number }[];
  tensorDataSync(id: number): Float32Array;
  deleteTensor(id: number): void;
};
type NativeKernelBackend = { binding: NativeBinding; getInputTensorIds(tensors: tf.Tensor[]): number[] };

function nativeKernel(): NativeKernelBackend | null {
  return tf.getBackend() === 'tensorflow' ? (tf.backend() as unknown as NativeKernelBackend) : null;
}

/** a [M, K] (JS) · w (a weight tensor, [K, N], or [N, K] with transposeW) through TensorFlow's MatMul. */
function nativeMm(be: NativeKernelBackend, a: Float32Array, M: number, w: tf.Tensor2D, transposeW: boolean): Float32Array {
  const b = be.binding;
  const K = transposeW ? w.shape[1] : w.shape[0];
  const attrs = [
    { name: 'transpose_a', type: b.TF_ATTR_BOOL, value: false },
    { name: 'transpose_b', type: b.TF_ATTR_BOOL, value: transposeW },
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
  ];
  const [wid] = be.getInputTensorIds([w]);
  const aid = b.createTensor([M, K], b.TF_FLOAT, a);
  try {
    const [out] = b.executeOp('MatMul', attrs, [aid, wid], 1);
    try {
      return b.tensorDataSync(out.id);
    } finally {
      b.deleteTensor(out.id);
    }
  } finally {
    b.deleteTensor(aid);
  }
}

/**
 * a [M, K] (JS) · w [K, N] (a weight tensor, used in place) → [M, N]; with transposeW, w is
 * [N, K] and the product is a·wᵀ (native backend only: the tied lm head without a copy). On wasm,
 * XNNPACK keeps the packed operator of w between calls (it is cached by w's buffer), so decoding
 * pays for packing once.
 */
export function mmWeight(a: Float32Array, M: number, w: tf.Tensor2D, transposeW = false): Float32Array {
  const native = nativeKernel();
  if (native) return nativeMm(native, a, M, w, transposeW);
  if (transposeW) throw new Error('mmWeight: a transposed weight needs the native backend');
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

/** Rows `ids` of a table [V, C] → [ids.length, C] (one GatherV2 through the binding on the native backend). */
export function gatherRows(table: tf.Tensor2D, ids: Int32Array): Float32Array {
  const native = nativeKernel();
  if (!native) return readAndDispose(tf.tidy(() => tf.gather(table, tf.tensor1d(ids, 'int32'))));
  const b = native.binding;
  const attrs = [
    { name: 'batch_dims', type: b.TF_ATTR_INT, value: 0 },
    { name: 'Tparams', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
    { name: 'Tindices', type: b.TF_ATTR_TYPE, value: b.TF_INT32 },
    { name: 'Taxis', type: b.TF_ATTR_TYPE, value: b.TF_INT32 },
  ];
  const [tid] = native.getInputTensorIds([table]);
  const iid = b.createTensor([ids.length], b.TF_INT32, ids);
  const aid = b.createTensor([], b.TF_INT32, new Int32Array([0]));
  try {
    const [out] = b.executeOp('GatherV2', attrs, [tid, iid, aid], 1);
    try {
      return b.tensorDataSync(out.id);
    } finally {
      b.deleteTensor(out.id);
    }
  } finally {
    b.deleteTensor(iid);
    b.deleteTensor(aid);
  }
}
