// How a processor ends a failed attempt. A database or Redis outage is thrown as it is, so
// BullMQ retries the job with backoff (OUTAGE_RETRY in lib/queue/flows.ts) and the retry
// resumes like a restart after kill -9; only the last attempt records the failure. A GPU
// failure (lib/ml/gpu-errors.ts) is named by toGpuError: a lost device or a rejected command
// first has the backend recovered in this process (device recreated, or a CPU backend), then is
// retried the same way, resuming from the last checkpoint; out of memory would fail again on
// this GPU, so it is final. Any other error is recorded on its row at once and thrown as
// UnrecoverableError: retrying would fail the same way.
//
// This file loads no TensorFlow (export-only workers import it): the ML processors pass the
// recovery in (gpu-recovery.ts).
import { UnrecoverableError, type Job } from 'bullmq';
import { isTransientOutage } from '../../lib/data/outage';
import { GpuDeviceLostError, GpuOutOfMemoryError, GpuValidationError, isGpuError, resetGpuEvents, toGpuError } from '../../lib/ml/gpu-errors';
import type { Logger } from '../../lib/log';

/** True on the job's last allowed attempt (attemptsMade counts the attempts before this one). */
export function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** What an ML processor gives failAttempt: how to recover the backend, and the job's log. */
export type GpuHandling = {
  /** Recreates the device or falls back to a CPU backend; resolves to the backend now in use, in words. */
  recover(cause: string): Promise<string>;
  /** True when the backend was recreated while this job ran (its tensors died with the old one). */
  backendChanged(): boolean;
  /** Writes a line to the job's log (the round log the UI shows). */
  note?(message: string): Promise<void>;
};

/** How a failure is handled: retried (outage, GPU device), or final. */
export type FailureKind = 'outage' | 'gpu-retry' | 'final';

/**
 * The one classification of a failed attempt. `error` has been through toGpuError. A job whose
 * backend was recreated under it (another job's GPU failure) is retried like a lost device.
 */
export function classifyFailure(error: unknown, backendChanged = false): FailureKind {
  if (error instanceof UnrecoverableError) return 'final';
  if (isTransientOutage(error)) return 'outage';
  if (error instanceof GpuDeviceLostError || error instanceof GpuValidationError) return 'gpu-retry';
  if (error instanceof GpuOutOfMemoryError || isGpuError(error)) return 'final';
  return backendChanged ? 'gpu-retry' : 'final';
}

/**
 * Records `error` through `record` unless BullMQ will retry it, then returns what to throw.
 * If recording fails too (the database is still down), the reconciler finds the row later.
 * With `gpu` (the ML processors), GPU failures are named and a lost device is recovered first.
 */
export async function failAttempt(job: Job, error: unknown, log: Logger, record: (message: string) => Promise<void>, gpu?: GpuHandling): Promise<Error> {
  if (error instanceof UnrecoverableError) return error;
  const err = gpu ? toGpuError(error) : error;
  const message = (err as Error)?.message ?? String(err);
  const kind = classifyFailure(err, gpu?.backendChanged() ?? false);
  const attempt = { attempt: job.attemptsMade + 1, of: job.opts.attempts };
  if (kind === 'gpu-retry' && gpu) {
    const cause = isGpuError(err) ? message.split('. ')[0] : 'the backend was recreated while this job ran';
    // Recover on every attempt, the last included: the worker goes on serving other jobs.
    const now = isGpuError(err)
      ? await gpu.recover(cause).catch((e: unknown) => `no backend (recovery failed: ${(e as Error).message})`)
      : 'the recreated backend';
    if (!isLastAttempt(job)) {
      log.warn('GPU failure: the job will be retried from its last checkpoint', { ...attempt, error: message, backend: now });
      await gpu.note?.(`${isGpuError(err) ? message : `${cause}: ${message}`} Now running on ${now}; attempt ${attempt.attempt} of ${attempt.of} failed, the job is retried from its last checkpoint.`).catch(() => {});
      return err instanceof Error ? err : new Error(message);
    }
  } else if (err instanceof GpuOutOfMemoryError) {
    // The device itself is fine after a refused allocation: forget the event so later jobs on
    // this worker are not blamed on it.
    resetGpuEvents();
  } else if (kind === 'outage' && !isLastAttempt(job)) {
    log.warn('outage: the job will be retried', { ...attempt, error: message });
    return err instanceof Error ? err : new Error(message);
  }
  const reason = kind === 'outage' ? `The database or job queue stayed unreachable through ${job.attemptsMade + 1} attempt(s): ${message}` : message;
  log.error('job failed', { error: err });
  await record(reason).catch((e) => log.error('could not record the failure; the reconciler will', { error: (e as Error).message }));
  return new UnrecoverableError(reason);
}
