// Whether the fast WebAssembly workarounds are used. 'auto' turns them on for the wasm backend
// only: on tfjs-node the plain ops are native and already fast, and on the plain JS backend
// they would only add copies. Tests force 'on' to compare the workarounds with plain tf ops.
import * as tf from '@tensorflow/tfjs-core';

export type KernelMode = 'auto' | 'fast' | 'plain';
let mode: KernelMode = 'auto';

export function setKernelMode(m: KernelMode): void {
  mode = m;
}
export function kernelMode(): KernelMode {
  return mode;
}
export function useFastKernels(): boolean {
  return mode === 'fast' || (mode === 'auto' && tf.getBackend() === 'wasm');
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
