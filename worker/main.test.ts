// The worker process end to end: heartbeat in Postgres, a job through the health queue, JSON
// log lines, and an orderly SIGTERM shutdown.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { liveWorkers } from '../lib/data/workers/heartbeat';
import { workerRoundTrip } from '../lib/queue/health';
import { closeQueues } from '../lib/queue/connection';
import { prisma } from '../lib/db';

// Queues of their own: the loop tests' workers (run alongside in the same Redis prefix, one of
// them killed with SIGKILL) also serve `health` and could take this file's pings.
vi.hoisted(() => {
  process.env.HONE_REDIS_PREFIX = `${process.env.HONE_REDIS_PREFIX}:worker-main`;
});

afterAll(async () => {
  await closeQueues();
  await prisma.$disconnect();
});

/** Starts `worker/main.ts` serving `queues` and resolves with its "worker started" log line. */
async function startWorker(queues: string): Promise<{ child: ChildProcess; started: Record<string, unknown> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { env: { ...process.env, HONE_WORKER_QUEUES: queues }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (c) => (out += c));
  const started = await new Promise<Record<string, unknown>>((resolve, reject) => {
    child.stdout!.on('data', (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.includes('"worker started"'));
      if (line) resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code}): ${out}`)));
  });
  return { child, started };
}

describe('worker/main.ts', () => {
  it('beats, answers the health queue, and shuts down cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      env: { ...process.env, HONE_WORKER_QUEUES: 'health' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    // Wait for its first log line saying it started (the heartbeat is written before it).
    await new Promise<void>((resolve, reject) => {
      const onData = () => out.includes('"worker started"') && resolve();
      child.stdout.on('data', onData);
      child.once('exit', (code) => reject(new Error(`worker exited early (${code}): ${out}`)));
    });
    const workers = await liveWorkers();
    expect(workers.length).toBe(1);
    expect(workers[0].queues).toEqual(['health']);

    const rt = await workerRoundTrip(10_000);
    expect(rt.ok, rt.error).toBe(true);
    expect(rt.workerId).toBe(workers[0].id);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['worker started', 'shutting down', 'stopped']));
    for (const l of lines) expect(l).toMatchObject({ ts: expect.any(String), level: expect.any(String), service: 'worker' });
    expect(await liveWorkers()).toEqual([]);
  });

  it('serves only the queues named in HONE_WORKER_QUEUES (export-only: no TensorFlow)', async () => {
    const { child, started } = await startWorker('export');
    expect(started.processors).toEqual(['export', 'health']);
    const [w] = await liveWorkers();
    expect(w.queues).toEqual(['export', 'health']);
    expect(w.info).toMatchObject({ tensorflow: expect.stringMatching(/not loaded/) });
    // Orderly shutdown is the first test's subject; here it only has to go away.
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it('names its TensorFlow.js backend and engine in its start line and heartbeat', async () => {
    const { child, started } = await startWorker('infer');
    // Native TensorFlow where `npm run setup:tensorflow` built it (CI requires it), else WebAssembly.
    const native = fs.existsSync('node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node') || process.env.HONE_REQUIRE_NATIVE === '1';
    expect(started).toMatchObject(
      native
        ? { backend: 'tensorflow', engine: expect.stringMatching(/^TensorFlow \d+\.\d+\.\d+ native/), backendReason: expect.stringMatching(/^auto/) }
        : { backend: 'wasm', engine: expect.stringMatching(/XNNPACK/) },
    );
    const [w] = await liveWorkers();
    expect(w.backend).toBe(started.backend);
    expect(w.info).toMatchObject({ engine: started.engine });
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it('refuses an unknown queue name in HONE_WORKER_QUEUES', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { env: { ...process.env, HONE_WORKER_QUEUES: 'train,nonsense' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const [code] = await once(child, 'exit');
    expect(code).not.toBe(0);
    expect(err).toMatch(/HONE_WORKER_QUEUES names unknown queue\(s\) nonsense/);
  });
});
