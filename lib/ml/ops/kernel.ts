// Products on JS arrays through tfjs-wasm's XNNPACK kernel, without the tf.js engine.
//
// WHY: attention's per-head products (~1 MFLOP each) and a decoding step's single-row products
// are so small that the engine's bookkeeping around them (Tensor objects, tracking, kernel
// lookup, disposal: three tensors per product) costs about as much as the product. Here the
// registered wasm BatchMatMul kernel is called on backend buffers directly: inputs are copied
// into the wasm heap by write(), the result is copied out by readSync(), and every buffer this
// creates is freed before returning, so nothing can leak.
//
// On the native backend (tfjs-node) the decoding path of ops/decode uses the same kernel for its
// small one-row products: TensorFlow's eager BatchMatMulV2 costs ~50–90 µs per call for a row
// times a 256×768 weight, XNNPACK ~20 µs. The weights are copied into the wasm heap once per
// decoding state (WasmWeights) when the WebAssembly backend was started alongside (backend.ts).
// Large products (an lm head over 50k tokens, a batch of rows) go to TensorFlow, whose threads
// win there, through the binding directly (create, execute, read, delete; no tf.js Tensors).
// On other backends the same functions go through ordinary tf ops.
import * as tf from '@tensorflow/tfjs-core';

type WasmKernelBackend = {
  write(values: Float32Array, shape: number[], dtype: 'float32'): object;
  readSync(dataId: object): Float32Array;
  disposeData(dataId: object): void;
};
type WasmKernel = { backend: WasmKernelBackend; kernel: tf.KernelConfig };

/** The wasm BatchMatMul kernel with its backend: the active one, or (alongside = true) one started next to another backend. */
function wasmKernel(alongside = false): WasmKernel | null {
  if (!alongside && tf.getBackend() !== 'wasm') return null;
  const backend = tf.getBackend() === 'wasm' ? tf.backend() : alongsideWasm();
  const kernel = tf.getKernel('BatchMatMul', 'wasm');
  return kernel && backend ? { backend: backend as unknown as WasmKernelBackend, kernel } : null;
}

/** The WebAssembly backend when it was started next to the active one (never starts it). */
function alongsideWasm(): tf.KernelBackend | null {
  const engine = tf.engine() as unknown as { registry: Record<string, tf.KernelBackend> };
  return engine.registry.wasm ?? null;
}

/** Multiply-adds up to which a decoding product on the native backend goes to XNNPACK. */
export const XNNPACK_MAX_MACS = 1 << 22;

/**
 * XNNPACK copies of native-backend weights for the decoding path, made on first use and kept
 * across decoding states while the weight is unchanged (same tensor, same dataId): a PPO rollout
 * or a batch of sampling calls copies each weight once per update, not once per call. A weight
 * over XNNPACK_MAX_MACS per row is never copied. Copies of disposed or updated tensors are freed
 * at the next create().
 */
type Copy = { dataId: object; info: tf.TensorInfo };
const copies = new Map<tf.Tensor, { plain?: Copy; transposed?: Copy }>();

export class WasmWeights {
  private constructor(private readonly k: WasmKernel) {}

  /** On the native backend with WebAssembly started alongside; null elsewhere. */
  static create(): WasmWeights | null {
    if (tf.getBackend() !== 'tensorflow') return null;
    const k = wasmKernel(true);
    if (!k) return null;
    for (const [w, c] of copies) {
      for (const side of ['plain', 'transposed'] as const) {
        const copy = c[side];
        if (copy && (w.isDisposed || copy.dataId !== w.dataId)) {
          k.backend.disposeData(copy.info.dataId);
          delete c[side];
        }
      }
      if (!c.plain && !c.transposed) copies.delete(w);
    }
    return new WasmWeights(k);
  }

  /**
   * a [M, K] · w on XNNPACK, w [K, N] (or [N, K] with transposed: a·wᵀ), or null when the
   * product is too big to be worth it.
   */
  product(a: Float32Array, M: number, w: tf.Tensor2D, transposed = false): Float32Array | null {
    const [K, N] = transposed ? [w.shape[1], w.shape[0]] : w.shape;
    if (M * K * N > XNNPACK_MAX_MACS) return null;
    const entry = copies.get(w) ?? {};
    copies.set(w, entry);
    const side = transposed ? 'transposed' : 'plain';
    let copy = entry[side];
    if (!copy || copy.dataId !== w.dataId) {
      if (copy) this.k.backend.disposeData(copy.info.dataId);
      // eslint-disable-next-line hone/no-sync-read -- XNNPACK on the wasm backend: host memory
      const values = w.dataSync() as Float32Array;
      const laid = transposed ? transposeRows(values, N, K) : values; // [K, N]
      copy = { dataId: w.dataId, info: { dataId: this.k.backend.write(laid, [K, N], 'float32'), shape: [K, N], dtype: 'float32' } };
      entry[side] = copy;
    }
    const ai = { dataId: this.k.backend.write(a, [M, K], 'float32'), shape: [M, K], dtype: 'float32' as const };
    try {
      return run(this.k, ai, copy.info);
    } finally {
      this.k.backend.disposeData(ai.dataId);
    }
  }
}

/** [rows, cols] → [cols, rows]. */
function transposeRows(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c];
  return out;
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
  // eslint-disable-next-line hone/no-sync-read -- XNNPACK on the wasm backend: host memory
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

/**
 * a [M, K] (JS) · w (a weight tensor, [K, N], or [N, K] with transposeW) through TensorFlow's
 * BatchMatMulV2 (not MatMul, whose oneDNN kernel corrupts the heap: see ops/native.ts mm).
 */
function nativeMm(be: NativeKernelBackend, a: Float32Array, M: number, w: tf.Tensor2D, transposeW: boolean): Float32Array {
  const b = be.binding;
  const K = transposeW ? w.shape[1] : w.shape[0];
  const attrs = [
    { name: 'adj_x', type: b.TF_ATTR_BOOL, value: false },
    { name: 'adj_y', type: b.TF_ATTR_BOOL, value: transposeW },
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
  ];
  const [wid] = be.getInputTensorIds([w]);
  const aid = b.createTensor([M, K], b.TF_FLOAT, a);
  try {
    const [out] = b.executeOp('BatchMatMulV2', attrs, [aid, wid], 1);
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
 * pays for packing once. On the native backend, `wasmWeights` sends small products to XNNPACK.
 */
export function mmWeight(a: Float32Array, M: number, w: tf.Tensor2D, transposeW = false, wasmWeights?: WasmWeights | null): Float32Array {
  const native = nativeKernel();
  if (native) return wasmWeights?.product(a, M, w, transposeW) || nativeMm(native, a, M, w, transposeW);
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
