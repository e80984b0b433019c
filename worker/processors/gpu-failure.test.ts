// How failAttempt ends an attempt that a GPU failure ended: out of memory is final with the
// fix in the message (the row's resumeUri is not touched: only `record` runs); a lost device or
// a rejected command has the backend recovered, then is retried, and only the last attempt
// records; a job whose backend was recreated under it is retried without another recovery.
// Then on a real BullMQ queue: a lost device on the first attempt, success on the retry.
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';

vi.hoisted(() => {
  process.env.HONE_REDIS_PREFIX = `${process.env.HONE_REDIS_PREFIX}:gpu-failure`;
});

import { classifyFailure, failAttempt, type GpuHandling } from './outage-retry';
import { GpuDeviceLostError, GpuOutOfMemoryError, GpuValidationError, gpuFailure, recordGpuEvent, resetGpuEvents } from '../../lib/ml/gpu-errors';
import { createLogger } from '../../lib/log';
import { closeQueues, queuePrefix, redisConnection } from '../../lib/queue/connection';

const log = createLogger({ service: 'test' }, 'error');
const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const o of opened) await o.close();
  await closeQueues();
});
beforeEach(() => resetGpuEvents());

/** The fields of a BullMQ job failAttempt reads: attempt number and allowed attempts. */
function jobAt(attemptsMade: number, attempts = 8): Job {
  return { attemptsMade, opts: { attempts } } as unknown as Job;
}

function handling(opts: { changed?: boolean; fails?: boolean } = {}) {
  const calls = { recover: [] as string[], notes: [] as string[], recorded: [] as string[] };
  const gpu: GpuHandling = {
    async recover(cause) {
      calls.recover.push(cause);
      if (opts.fails) throw new Error('no backend starts');
      return 'webgpu (WebGPU through Dawn)';
    },
    backendChanged: () => opts.changed ?? false,
    note: async (m) => void calls.notes.push(m),
  };
  const record = async (m: string) => void calls.recorded.push(m);
  return { gpu, calls, record };
}

describe('GPU failures in failAttempt', () => {
  it('classifies in one place', () => {
    expect(classifyFailure(new GpuDeviceLostError('destroyed', ''))).toBe('gpu-retry');
    expect(classifyFailure(new GpuValidationError('bad bind group'))).toBe('gpu-retry');
    expect(classifyFailure(new GpuOutOfMemoryError('2 GiB'))).toBe('final');
    expect(classifyFailure(new Error('shape mismatch'))).toBe('final');
    expect(classifyFailure(new Error('shape mismatch'), true)).toBe('gpu-retry');
    expect(classifyFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe('outage');
  });

  it('out of memory is final at once, with the fix, and recovers nothing', async () => {
    const { gpu, calls, record } = handling();
    recordGpuEvent({ kind: 'oom', message: 'Failed to allocate 2147483648 bytes' });
    const thrown = await failAttempt(jobAt(0), new Error('non-finite loss NaN at step 12'), log, record, gpu);
    expect(thrown).toBeInstanceOf(UnrecoverableError);
    expect(thrown.message).toMatch(/^The GPU ran out of memory \(Failed to allocate 2147483648 bytes; then: non-finite loss NaN at step 12\)\. Lower the micro-batch size/);
    expect(thrown.message).toMatch(/last checkpoint is kept/);
    expect(calls.recorded).toEqual([thrown.message]);
    expect(calls.recover).toEqual([]);
    // The device survives a refused allocation: the next job is not blamed on it.
    expect(gpuFailure()).toBeNull();
  });

  it('a lost device is recovered, logged to the job and retried; nothing is recorded', async () => {
    const { gpu, calls, record } = handling();
    recordGpuEvent({ kind: 'lost', reason: 'destroyed', message: 'Device was destroyed.' });
    const thrown = await failAttempt(jobAt(2), new Error('Buffer.mapAsync failed'), log, record, gpu);
    expect(thrown).toBeInstanceOf(GpuDeviceLostError);
    expect(thrown).not.toBeInstanceOf(UnrecoverableError);
    expect(calls.recover).toEqual(['The GPU device was lost (destroyed: Device was destroyed.)']);
    expect(calls.recorded).toEqual([]);
    expect(calls.notes).toHaveLength(1);
    expect(calls.notes[0]).toMatch(/^The GPU device was lost \(destroyed: Device was destroyed\.\)\. .* Now running on webgpu \(WebGPU through Dawn\); attempt 3 of 8 failed, the job is retried from its last checkpoint\.$/);
  });

  it('a rejected command is retried the same way; the message names it', async () => {
    const { gpu, calls, record } = handling();
    recordGpuEvent({ kind: 'validation', message: 'Invalid BindGroup' });
    const thrown = await failAttempt(jobAt(0), new Error('loss is NaN'), log, record, gpu);
    expect(thrown).toBeInstanceOf(GpuValidationError);
    expect(calls.recover).toHaveLength(1);
    expect(calls.recorded).toEqual([]);
  });

  it('on the last attempt a lost device still recovers the worker, and the failure is recorded', async () => {
    const { gpu, calls, record } = handling({ fails: true });
    const thrown = await failAttempt(jobAt(7), new Error('VK_ERROR_DEVICE_LOST'), log, record, gpu);
    expect(thrown).toBeInstanceOf(UnrecoverableError);
    expect(thrown.message).toMatch(/^The GPU device was lost \(unknown: VK_ERROR_DEVICE_LOST\)/);
    expect(calls.recover).toHaveLength(1);
    expect(calls.recorded).toEqual([thrown.message]);
  });

  it('a job whose backend was recreated under it is retried without another recovery', async () => {
    const { gpu, calls, record } = handling({ changed: true });
    const thrown = await failAttempt(jobAt(0), new TypeError("Cannot read properties of null (reading 'tensorMap')"), log, record, gpu);
    expect(thrown).not.toBeInstanceOf(UnrecoverableError);
    expect(calls.recover).toEqual([]);
    expect(calls.notes[0]).toMatch(/^the backend was recreated while this job ran: Cannot read properties of null/);
  });

  it('without GPU handling (the export processor) errors stay as they were: final', async () => {
    const { record, calls } = handling();
    const thrown = await failAttempt(jobAt(0), new Error('Device is lost'), log, record);
    expect(thrown).toBeInstanceOf(UnrecoverableError);
    expect(thrown.message).toBe('Device is lost');
    expect(calls.recorded).toEqual(['Device is lost']);
  });
});

describe('on a BullMQ queue', () => {
  it('a lost device fails the first attempt; the retry runs and succeeds', async () => {
    const { gpu, calls, record } = handling();
    let attempts = 0;
    const queue = new Queue('gpu-lost', { connection: redisConnection(), prefix: queuePrefix() });
    const worker = new Worker(
      'gpu-lost',
      async (job) => {
        try {
          if (++attempts === 1) throw new Error('Device is lost');
          return 'resumed';
        } catch (e) {
          throw await failAttempt(job, e, log, record, gpu);
        }
      },
      { connection: redisConnection(), prefix: queuePrefix() },
    );
    opened.push(worker, queue);
    const done = new Promise<Job>((resolve) => worker.on('completed', (job) => resolve(job)));
    await queue.add('x', {}, { jobId: 'lost-1', attempts: 3, backoff: { type: 'fixed', delay: 100 } });
    const job = await done;
    expect(job.returnvalue).toBe('resumed');
    expect(attempts).toBe(2);
    expect(calls.recover).toHaveLength(1);
    expect(calls.notes).toHaveLength(1);
    expect(calls.recorded).toEqual([]);
  }, 20_000);
});
