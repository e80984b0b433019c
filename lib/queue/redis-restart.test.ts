// A producer through a Redis restart, on a redis-server of its own (a spare port): while Redis
// is down an enqueue answers UNAVAILABLE at once, and within about a second of Redis coming
// back enqueues work again, with no restart of the app.
import { afterAll, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Queue } from 'bullmq';
import { AppError } from '../data/errors';
import { closeWithin, producerConnection, toRedis } from './connection';

let redis: ChildProcess | undefined;
let queue: Queue | undefined;

afterAll(async () => {
  if (queue) await closeWithin(queue);
  redis?.kill('SIGKILL');
});

async function sparePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c) => String(c).includes('Ready to accept connections') && resolve());
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
  });
  return child;
}

const enqueue = (q: Queue, id: string) => toRedis('queueing a test job', q, () => q.add('x', {}, { jobId: id }));

it('fails fast while Redis is down and enqueues again soon after it is back', async () => {
  const port = await sparePort();
  redis = await startRedis(port);
  queue = new Queue('restart', { connection: { ...producerConnection(), host: '127.0.0.1', port }, prefix: 'restart-test' });
  queue.on('error', () => {});
  expect((await enqueue(queue, 'before')).id).toBe('before');

  const exited = new Promise((r) => redis!.once('exit', r));
  redis.kill('SIGKILL');
  await exited;
  const t0 = performance.now();
  const down = await enqueue(queue, 'during').catch((e: unknown) => e);
  expect(performance.now() - t0).toBeLessThan(2500);
  expect(down).toBeInstanceOf(AppError);
  expect((down as AppError).code).toBe('UNAVAILABLE');

  redis = await startRedis(port);
  const back = performance.now();
  let added: string | undefined;
  while (!added && performance.now() - back < 5000) {
    added = await enqueue(queue, 'after').then(
      (j) => j.id,
      () => undefined,
    );
    if (!added) await new Promise((r) => setTimeout(r, 100));
  }
  expect(added).toBe('after');
  expect(performance.now() - back).toBeLessThan(2500);
  // The enqueue refused during the outage did not happen later behind the caller's back.
  expect(await queue.getJob('during')).toBeUndefined();
});
