// How a processor ends a failed attempt. A database or Redis outage is thrown as it is, so
// BullMQ retries the job with backoff (OUTAGE_RETRY in lib/queue/flows.ts) and the retry
// resumes like a restart after kill -9; only the last attempt records the failure. Any other
// error is recorded on its row at once and thrown as UnrecoverableError: retrying would fail
// the same way.
import { UnrecoverableError, type Job } from 'bullmq';
import { isTransientOutage } from '../../lib/data/outage';
import type { Logger } from '../../lib/log';

/** True on the job's last allowed attempt (attemptsMade counts the attempts before this one). */
export function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * Records `error` through `record` unless BullMQ will retry it, then returns what to throw.
 * If recording fails too (the database is still down), the reconciler finds the row later.
 */
export async function failAttempt(job: Job, error: unknown, log: Logger, record: (message: string) => Promise<void>): Promise<Error> {
  if (error instanceof UnrecoverableError) return error;
  const message = (error as Error)?.message ?? String(error);
  const outage = isTransientOutage(error);
  if (outage && !isLastAttempt(job)) {
    log.warn('outage: the job will be retried', { attempt: job.attemptsMade + 1, of: job.opts.attempts, error: message });
    return error instanceof Error ? error : new Error(message);
  }
  const reason = outage ? `The database or job queue stayed unreachable through ${job.attemptsMade + 1} attempt(s): ${message}` : message;
  log.error('job failed', { error });
  await record(reason).catch((err) => log.error('could not record the failure; the reconciler will', { error: (err as Error).message }));
  return new UnrecoverableError(reason);
}
