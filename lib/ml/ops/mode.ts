// Which kernels the model runs: the WebAssembly workarounds, TensorFlow's own fused ops on the
// native backend, or plain tf.js ops. 'auto' picks by backend: the workarounds on wasm only
// (ops/matmul, attention, embedding, pointwise, decode), the fused native ops on tfjs-node only
// (ops/native), plain ops elsewhere (cpu, webgpu). Tests force 'fast' (the wasm forms on any
// backend) or 'plain' to compare each with plain tf ops.
import * as tf from '@tensorflow/tfjs-core';

export type KernelMode = 'auto' | 'fast' | 'plain';
let mode: KernelMode = 'auto';

export function setKernelMode(m: KernelMode): void {
  mode = m;
}
export function kernelMode(): KernelMode {
  return mode;
}
/** The WebAssembly workarounds. */
export function useFastKernels(): boolean {
  return mode === 'fast' || (mode === 'auto' && tf.getBackend() === 'wasm');
}
/** TensorFlow's fused ops through tfjs-node (ops/native). */
export function useNativeKernels(): boolean {
  return mode === 'auto' && tf.getBackend() === 'tensorflow';
}

/**
 * Whether a tf.grad / tf.variableGrads is recording. The fast ops skip their tf.customGrad
 * wrapper when nothing records: the wrapper's bookkeeping (tape node, saved-tensor clones) is a
 * measurable share of a decoding step, where every op runs on a single row.
 */
export function recordingGradients(): boolean {
  const state = (tf.engine() as unknown as { state: { gradientDepth: number } }).state;
  return state.gradientDepth > 0;
}
