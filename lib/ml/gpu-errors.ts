// GPU failures a training or sampling job can hit on the WebGPU backend, as errors with a
// clear, one-paragraph message a job row and the UI can show as is.
//
// WebGPU reports most failures asynchronously: a lost device resolves `device.lost`, an
// allocation that does not fit raises an 'out-of-memory' error on the device's error scope (or,
// with no scope open, an `uncapturederror` event), and the next read of a tensor (dataSync /
// data) then fails with Dawn's own wording or returns garbage that shows up as a NaN loss.
// lib/ml/backend-webgpu.ts records those events here as they happen; `toGpuError` turns
// whatever the job caught into one of the classes below when the GPU is the cause, and
// `assertGpuHealthy` lets a step loop stop at the first step after the event.
//
// Checkpoints are safetensors of plain float32 tensors, independent of the backend: after any
// of these errors the job's last checkpoint stays valid and a retry resumes from it, on this
// worker (the device recreated, or a CPU backend) or another. worker/processors/outage-retry.ts
// decides: a lost device or rejected command is retried, out of memory is final.

/** Out of memory: final on this GPU. */
const RESUME_HINT =
  'The last checkpoint is kept; a retry of the job on a GPU with more memory, or on a CPU worker (HONE_TF_BACKEND=wasm), resumes from there.';
/** Lost device, rejected command: the job is retried. */
const RETRY_HINT =
  'The last checkpoint is kept; the job is retried and resumes from there, on this worker once the device is recreated (or on a CPU backend) or on another worker.';

/** The backend was forced to `webgpu` (HONE_TF_BACKEND) but cannot start here. */
export class WebgpuUnavailableError extends Error {
  override readonly name = 'WebgpuUnavailableError';
  constructor(readonly why: string) {
    super(
      `The WebGPU backend was forced (HONE_TF_BACKEND=webgpu) but cannot start: ${why}. ` +
        'Install the Vulkan loader (Debian/Ubuntu: apt-get install libvulkan1) and a Vulkan driver for the GPU ' +
        '(NVIDIA: the driver ships nvidia_icd.json; point VK_DRIVER_FILES at it if the loader does not find it), ' +
        'or unset HONE_TF_BACKEND to fall back to the CPU backends. See docs/gpu.md.',
    );
  }
}

/**
 * A synchronous read (dataSync, arraySync, tf.print) of a tensor that lives in GPU memory.
 * tfjs-backend-webgpu 4.22 reads synchronously by drawing the buffer into an OffscreenCanvas,
 * which Node does not have, and Dawn on Node offers no blocking map: in Node only the async
 * reads (await tensor.data() / array()) can take data off the GPU.
 */
export class WebgpuSyncReadError extends Error {
  override readonly name = 'WebgpuSyncReadError';
  constructor() {
    super(
      'A synchronous read (dataSync/arraySync) of a GPU tensor is not possible on the WebGPU backend in Node: ' +
        'tfjs-backend-webgpu reads synchronously through OffscreenCanvas, which Node lacks, and Dawn has no blocking map. ' +
        'Read with `await tensor.data()` / `await tensor.array()` instead, or use another backend (unset HONE_TF_BACKEND).',
    );
  }
}

/** The GPU device went away (driver reset, GPU fallen off the bus, device destroyed). */
export class GpuDeviceLostError extends Error {
  override readonly name = 'GpuDeviceLostError';
  constructor(
    readonly reason: string,
    readonly detail: string,
  ) {
    super(`The GPU device was lost (${reason}${detail ? `: ${detail}` : ''}). ${RETRY_HINT}`);
  }
}

/** An allocation on the GPU did not fit. */
export class GpuOutOfMemoryError extends Error {
  override readonly name = 'GpuOutOfMemoryError';
  constructor(readonly detail: string) {
    super(
      `The GPU ran out of memory (${detail}). Lower the micro-batch size (gradient accumulation keeps the effective batch) ` +
        `or the context length, or use a GPU with more memory. ${RESUME_HINT}`,
    );
  }
}

export type GpuEvent = { kind: 'lost'; reason: string; message: string } | { kind: 'oom'; message: string } | { kind: 'validation'; message: string };

// What backend-webgpu.ts has seen on the live device since it started (first of each kind).
let lost: { reason: string; message: string } | null = null;
let oom: string | null = null;
let validation: string | null = null;

/** Called by backend-webgpu.ts from device.lost and uncaptured-error handlers. */
export function recordGpuEvent(e: GpuEvent): void {
  if (e.kind === 'lost') lost ??= { reason: e.reason, message: e.message };
  else if (e.kind === 'oom') oom ??= e.message;
  else validation ??= e.message;
}

/** Forgets recorded events (a fresh device was started, or a test resets the state). */
export function resetGpuEvents(): void {
  lost = null;
  oom = null;
  validation = null;
}

/** A GPU command was rejected (its results are garbage), other than for memory. */
export class GpuValidationError extends Error {
  override readonly name = 'GpuValidationError';
  constructor(readonly detail: string) {
    super(`The GPU rejected a command (${detail}), so the step's results cannot be trusted. ${RETRY_HINT}`);
  }
}

/** A rejected binding or buffer over the device's size limits: the GPU's memory limit in practice. */
const LIMIT_RE = /larger than the maximum|exceeds the max|maxStorageBufferBindingSize|maxBufferSize/i;

/** The recorded GPU failure as an error, or null when the device is healthy. */
export function gpuFailure(): GpuDeviceLostError | GpuOutOfMemoryError | GpuValidationError | null {
  if (lost) return new GpuDeviceLostError(lost.reason, lost.message);
  if (oom) return new GpuOutOfMemoryError(oom);
  if (validation) return LIMIT_RE.test(validation) ? new GpuOutOfMemoryError(`a tensor is over the GPU's buffer limits: ${validation.replace(/\.$/, '')}`) : new GpuValidationError(validation);
  return null;
}

/** Throws the recorded GPU failure, if any: call between steps to stop at the first bad one. */
export function assertGpuHealthy(): void {
  const f = gpuFailure();
  if (f) throw f;
}

const LOST_RE = /device (is |was )?lost|DeviceLost|device.*destroyed|GPU.*(hung|reset)|VK_ERROR_DEVICE_LOST/i;
const OOM_RE = /out of memory|OutOfMemory|VK_ERROR_OUT_OF_(DEVICE|HOST)_MEMORY|Failed to allocate|allocation failed|exceeds the max(imum)? (buffer|storage)/i;

/**
 * Turns what a job caught into a clear GPU error when the GPU is the cause: a recorded lost
 * device or out-of-memory event, or an error whose message says so. Anything else is returned
 * unchanged (the original error, or an Error wrapping a non-Error value).
 */
export function toGpuError(e: unknown): Error {
  if (isGpuError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  const first = message.split('\n')[0];
  if (lost) return withCause(new GpuDeviceLostError(lost.reason, lost.message || first), e);
  if (oom) return withCause(new GpuOutOfMemoryError(`${oom}; then: ${first}`), e);
  if (LOST_RE.test(message)) return withCause(new GpuDeviceLostError('unknown', first), e);
  if (OOM_RE.test(message)) return withCause(new GpuOutOfMemoryError(first), e);
  if (validation) {
    // A rejected command (typically a tensor over maxStorageBufferBindingSize) leaves garbage
    // behind, which then surfaces as a NaN loss or a shape error: name the real cause.
    const f = gpuFailure()!;
    return withCause(Object.assign(f, { message: `${f.message} Then: ${first}` }), e);
  }
  return e instanceof Error ? e : new Error(message);
}

function withCause<T extends Error>(err: T, cause: unknown): T {
  Object.defineProperty(err, 'cause', { value: cause, enumerable: false, configurable: true, writable: true });
  return err;
}

/** Whether an error (already passed through toGpuError) is one of the GPU classes above. */
export function isGpuError(e: unknown): e is GpuDeviceLostError | GpuOutOfMemoryError | GpuValidationError | WebgpuUnavailableError | WebgpuSyncReadError {
  return (
    e instanceof GpuDeviceLostError ||
    e instanceof GpuOutOfMemoryError ||
    e instanceof GpuValidationError ||
    e instanceof WebgpuUnavailableError ||
    e instanceof WebgpuSyncReadError
  );
}
