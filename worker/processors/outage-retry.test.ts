// How a failed attempt ends, on a real BullMQ queue: an outage (a real ECONNREFUSED from pg) is
// retried with backoff and nothing is recorded; a real error is final at once and recorded;
// an outage on the last attempt is recorded as one. In a round's flow, a stage that is being
// retried keeps the later stages waiting instead of failing them.
import { afterAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { Queue, Worker, type Job } from 'bullmq';

vi.hoisted(() => {
  process.env.HONE_REDIS_PREFIX = `${process.env.HONE_REDIS_PREFIX}:outage-retry`;
});

import { failAttempt } from './outage-retry';
import { createLogger } from '../../lib/log';
import { enqueueRoundFlow, closeFlowProducer } from '../../lib/queue/flows';
import { closeQueues, queuePrefix, redisConnection } from '../../lib/queue/connection';
import { queueJobState } from '../../lib/queue/job-state';

const log = createLogger({ service: 'test' }, 'error');
const opened: { close(): Promise<void> }[] = [];

afterAll(async () => {
  for (const o of opened) await o.close();
  await closeFlowProducer();
  await closeQueues();
});

/** A real "connection refused" from Postgres' driver. */
async function refusedConnection(): Promise<Error> {
  const client = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:1/none' });
  return client.connect().then(
    () => new Error('a closed port accepted a connection'),
    (e: Error) => e,
  );
}

/** Runs `behaviour` for every job on a queue of its own and records what failAttempt records. */
function harness(name: string, behaviour: (job: Job) => Promise<unknown>) {
  const recorded: string[] = [];
  const queue = new Queue(name, { connection: redisConnection(), prefix: queuePrefix() });
  const worker = new Worker(
    name,
    async (job) => {
      try {
        return await behaviour(job);
      } catch (e) {
        throw await failAttempt(job, e, log, async (m) => void recorded.push(m));
      }
    },
    { connection: redisConnection(), prefix: queuePrefix() },
  );
  opened.push(worker, queue);
  const finished = (id: string) =>
    new Promise<{ state: string; job: Job }>((resolve) => {
      worker.on('completed', (job) => job.id === id && resolve({ state: 'completed', job }));
      // 'failed' fires after every attempt; only the last one sets finishedOn.
      worker.on('failed', (job) => job?.id === id && job.finishedOn !== undefined && resolve({ state: 'failed', job }));
    });
  return { queue, recorded, finished };
}

const RETRY = { attempts: 3, backoff: { type: 'fixed', delay: 100 } };

describe('failAttempt', () => {
  it('retries an outage, then succeeds without recording a failure', async () => {
    let calls = 0;
    const h = harness('retry-outage', async () => {
      if (++calls === 1) throw await refusedConnection();
      return 'done';
    });
    const done = h.finished('a');
    await h.queue.add('x', {}, { jobId: 'a', ...RETRY });
    const { state, job } = await done;
    expect(state).toBe('completed');
    expect(job.returnvalue).toBe('done');
    expect(calls).toBe(2);
    expect(h.recorded).toEqual([]);
  });

  it('fails a real error at once, recording its message', async () => {
    let calls = 0;
    const h = harness('retry-real', async () => {
      calls++;
      throw new Error('the checkpoint at step 40 is corrupt');
    });
    const done = h.finished('b');
    await h.queue.add('x', {}, { jobId: 'b', ...RETRY });
    const { state, job } = await done;
    expect(state).toBe('failed');
    expect(calls).toBe(1);
    expect(job.failedReason).toBe('the checkpoint at step 40 is corrupt');
    expect(h.recorded).toEqual(['the checkpoint at step 40 is corrupt']);
  });

  it('records an outage that outlasts every attempt as one', async () => {
    let calls = 0;
    const h = harness('retry-exhausted', async () => {
      calls++;
      throw await refusedConnection();
    });
    const done = h.finished('c');
    await h.queue.add('x', {}, { jobId: 'c', ...RETRY });
    const { state } = await done;
    expect(state).toBe('failed');
    expect(calls).toBe(3);
    expect(h.recorded).toHaveLength(1);
    expect(h.recorded[0]).toMatch(/^The database or job queue stayed unreachable through 3 attempt\(s\): .*ECONNREFUSED/);
  });
});

describe('a round flow with a stage hit by an outage', () => {
  it('keeps the later stages waiting while the stage is retried, then runs them', async () => {
    let sftCalls = 0;
    const ran: string[] = [];
    const worker = new Worker(
      'train',
      async (job) => {
        try {
          if (job.name === 'sft' && ++sftCalls === 1) throw await refusedConnection();
          ran.push(job.name);
          return job.name;
        } catch (e) {
          throw await failAttempt(job, e, log, async () => {});
        }
      },
      { connection: redisConnection(), prefix: queuePrefix() },
    );
    opened.push(worker);
    const published = new Promise<void>((resolve) => worker.on('completed', (job) => job.id === 'flow-publish' && resolve()));
    await enqueueRoundFlow([
      { jobId: 'flow-sft', stage: 'SFT' },
      { jobId: 'flow-publish', stage: 'PUBLISH' },
    ]);
    // The first attempt failed on the outage: SFT waits out its backoff (5 s), PUBLISH waits for it.
    for (let i = 0; i < 50 && sftCalls === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 300));
    expect((await queueJobState('train', 'flow-sft')).state).toBe('delayed');
    expect((await queueJobState('train', 'flow-publish')).state).toBe('waiting-children');
    await published;
    expect(ran).toEqual(['sft', 'publish']);
    expect(sftCalls).toBe(2);
  }, 30_000);
});
