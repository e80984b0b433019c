// Streaming side of the `infer` queue for the OpenAI-compatible endpoint: enqueues one request
// and reports the reply's text as it grows (the worker publishes { text } as job progress every
// few tokens), then resolves with the InferResult. Non-streaming callers use infer-client.ts.
import { QueueEvents } from 'bullmq';
import { getQueue, queuePrefix, redisConnection } from './connection';
import { InferPayload, InferResult, QUEUES } from './names';

const g = globalThis as unknown as { honeInferStreamEvents?: QueueEvents };

function events(): QueueEvents {
  g.honeInferStreamEvents ??= new QueueEvents(QUEUES.infer, { connection: redisConnection(), prefix: queuePrefix() });
  return g.honeInferStreamEvents;
}

export class InferFailedError extends Error {}

export async function streamInference(
  payload: InferPayload,
  onText: (textSoFar: string) => void,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<InferResult> {
  const data = InferPayload.parse(payload);
  const ev = events();
  await ev.waitUntilReady();
  const job = await getQueue(QUEUES.infer).add('chat', data, { removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 24 * 3600 }, attempts: 1 });
  const id = job.id!;
  return new Promise<InferResult>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no answer from the model within ${Math.round((opts.timeoutMs ?? 120_000) / 1000)} s`)), opts.timeoutMs ?? 120_000);
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
    const onAbort = () => {
      void job.remove().catch(() => {});
      finish(new Error('the client went away'));
    };
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

export async function closeStreamEvents(): Promise<void> {
  await g.honeInferStreamEvents?.close();
  g.honeInferStreamEvents = undefined;
}
