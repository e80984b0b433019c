// The TensorFlow.js backend names, in one place: lib/ml/backend.ts starts them, lib/env.ts
// validates HONE_TF_BACKEND with them, and the workers page and scripts/device/gpu-bench.ts ask
// which of them compute on a GPU. zod only, so pages may import it.
import { z } from 'zod';

/** Every backend Hone can start, fastest first where the machine has it. */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export const BackendName = z.enum(BACKEND_NAMES, {
  error: (issue) => `Unknown TensorFlow.js backend ${JSON.stringify(issue.input)}; use one of ${BACKEND_NAMES.join(', ')}`,
});
export type BackendName = z.infer<typeof BackendName>;

/** The backends that compute on a GPU: CUDA through tfjs-node-gpu, and WebGPU through Dawn. */
export const GPU_BACKENDS: readonly BackendName[] = ['tensorflow-gpu', 'webgpu'];

/** Whether a backend name (as a worker reports it, possibly null or unknown) runs on a GPU. */
export function isGpuBackend(name: string | null | undefined): boolean {
  return (GPU_BACKENDS as readonly string[]).includes(name ?? '');
}

/**
 * HONE_WASM_THREADS as text → the wasm thread setting: unset, '', '0' or 'false' = off;
 * 'true' = one thread per core; a positive integer = that many threads.
 */
export const WasmThreadsSetting = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx): boolean | number | undefined => {
    if (v === undefined || v === '' || v === '0' || v.toLowerCase() === 'false') return undefined;
    if (v.toLowerCase() === 'true') return true;
    const n = Number(v);
    if (Number.isInteger(n) && n > 0) return n;
    ctx.addIssue({ code: 'custom', message: `HONE_WASM_THREADS must be true, false or a thread count, not ${JSON.stringify(v)}` });
    return z.NEVER;
  });
