// The web side of the `infer` queue: one completion from a policy, asked of a worker. Two ways
// to wait for it: requestCompletion resolves once the whole reply is there (suggestions, the
// non-streaming chat endpoint); streamCompletion also reports the text as it grows (the worker
// publishes { text } as job progress every few tokens) for the streaming chat endpoint. Both
// resolve with the job's return value, an InferResult, and give up after a timeout.
import type { Job } from 'bullmq';
import { getQueue, toRedis } from './connection';
import { InferPayload, InferResult, QUEUES } from './names';
import { closeQueueEvents, JobTimeoutError, queueEvents, requestJob } from './request';

/** No worker answered in time (the job is removed). */
export { JobTimeoutError as InferTimeoutError };

/** The worker ran the job and it failed; the message is the worker's reason. */
export class InferFailedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InferFailedError';
  }
}

const KEEP = { removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 24 * 3600 }, attempts: 1 };

/** Asks for one completion and resolves with it when the worker has finished the whole reply. */
export async function requestCompletion(payload: InferPayload, opts: { timeoutMs?: number } = {}): Promise<InferResult> {
  const data = InferPayload.parse(payload);
  return InferResult.parse(await requestJob(QUEUES.infer, 'suggest', data, opts.timeoutMs ?? 60_000));
}

/**
 * Asks for one completion and calls onText with the reply so far each time the worker reports
 * progress; resolves with the finished reply. An aborted signal removes the job.
 */
export async function streamCompletion(
  payload: InferPayload,
  onText: (textSoFar: string) => void,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<InferResult> {
  const data = InferPayload.parse(payload);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const ev = await queueEvents(QUEUES.infer);
  const q = getQueue(QUEUES.infer);
  const job: Job = await toRedis('queueing the reply', q, () => q.add('chat', data, KEEP));
  const id = job.id!;
  return new Promise<InferResult>((resolve, reject) => {
    const timer = setTimeout(() => finish(new JobTimeoutError(timeoutMs)), timeoutMs);
    const onProgress = ({ jobId, data: d }: { jobId: string; data: unknown }) => {
      if (jobId !== id) return;
      const text = (d as { text?: unknown })?.text;
      if (typeof text === 'string') onText(text);
    };
    const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
      if (jobId !== id) return;
      try {
        const v = typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue;
        finish(null, InferResult.parse(v));
      } catch (e) {
        finish(e as Error);
      }
    };
    const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
      if (jobId === id) finish(new InferFailedError(failedReason));
    };
    const onAbort = () => finish(new Error('the client went away'));
    function finish(err: Error | null, value?: InferResult) {
      clearTimeout(timer);
      ev.off('progress', onProgress);
      ev.off('completed', onCompleted);
      ev.off('failed', onFailed);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) {
        void job.remove().catch(() => {});
        reject(err);
      } else resolve(value!);
    }
    ev.on('progress', onProgress);
    ev.on('completed', onCompleted);
    ev.on('failed', onFailed);
    opts.signal?.addEventListener('abort', onAbort);
    // It may have finished before the listeners were attached.
    void job.getState().then(async (state) => {
      if (state === 'completed') {
        const j = await getQueue(QUEUES.infer).getJob(id);
        if (j) onCompleted({ jobId: id, returnvalue: j.returnvalue });
      } else if (state === 'failed') {
        const j = await getQueue(QUEUES.infer).getJob(id);
        onFailed({ jobId: id, failedReason: j?.failedReason ?? 'failed' });
      }
    });
  });
}

/** Closes the event listeners (tests, shutdown). */
export const closeInferEvents = closeQueueEvents;
