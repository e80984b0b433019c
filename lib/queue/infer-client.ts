// Producer side of the `infer` queue: asks the worker for one completion from a policy and
// waits for the answer under a timeout. The job's return value is the InferResult.
import { QueueEvents } from 'bullmq';
import { getQueue, queuePrefix, redisConnection } from './connection';
import { InferPayload, InferResult, QUEUES } from './names';

export class InferTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer from the model within ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'InferTimeoutError';
  }
}

const g = globalThis as unknown as { honeInferEvents?: QueueEvents };

function inferEvents(): QueueEvents {
  g.honeInferEvents ??= new QueueEvents(QUEUES.infer, { connection: redisConnection(), prefix: queuePrefix() });
  return g.honeInferEvents;
}

export async function requestInference(payload: InferPayload, opts: { timeoutMs?: number } = {}): Promise<InferResult> {
  const data = InferPayload.parse(payload);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const events = inferEvents();
  await events.waitUntilReady();
  const job = await getQueue(QUEUES.infer).add('suggest', data, {
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 24 * 3600 },
    attempts: 1,
  });
  try {
    const out = await job.waitUntilFinished(events, timeoutMs);
    return InferResult.parse(out);
  } catch (e) {
    if (/timed out|before finishing|TTL/i.test(String((e as Error).message))) {
      await job.remove().catch(() => undefined); // nobody is waiting for it any more
      throw new InferTimeoutError(timeoutMs);
    }
    throw e;
  }
}

export async function closeInferEvents(): Promise<void> {
  await g.honeInferEvents?.close();
  g.honeInferEvents = undefined;
}
