// The worker process: serves the BullMQ queues named in HONE_WORKER_QUEUES (all by default),
// writes a heartbeat to Postgres every few seconds, reconciles rows with BullMQ on start and
// every HONE_RECONCILE_EVERY_MS (lib/data/reconcile), logs one JSON object per line, and on
// SIGINT/SIGTERM closes workers, then queues, then connections.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { Worker } from 'bullmq';
import { env } from '../lib/env';
import { createLogger } from '../lib/log';
import { redisConnection, queuePrefix, closeQueues } from '../lib/queue/connection';
import { ALL_QUEUES, type QueueName } from '../lib/queue/names';
import { closeDatabase } from '../lib/data/close-database';
import { writeHeartbeat, removeHeartbeat } from '../lib/data/workers/heartbeat';
import { reconcile } from '../lib/data/reconcile/reconcile';
import type { Processor, ProcessorContext } from './processors/types';
import { loadProcessors } from './processors';

const HEARTBEAT_MS = 5_000;
let closing = false;

const e = env();
const workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
const log = createLogger({ service: 'worker', workerId }, e.HONE_LOG_LEVEL);

function servedQueues(): QueueName[] {
  const wanted = e.HONE_WORKER_QUEUES.split(',').map((s) => s.trim()).filter(Boolean);
  if (!wanted.length) return [...ALL_QUEUES];
  const unknown = wanted.filter((q) => !ALL_QUEUES.includes(q as QueueName));
  if (unknown.length) {
    throw new Error(`HONE_WORKER_QUEUES names unknown queue(s) ${unknown.join(', ')}; known: ${ALL_QUEUES.join(', ')}`);
  }
  return wanted as QueueName[];
}

let backendName: string | null = null;
export function setBackendName(name: string) {
  backendName = name;
}
const ctx: ProcessorContext = { workerId, log, backend: () => backendName, setBackend: setBackendName };

const queues = servedQueues();
// The health queue is always served, so every worker can prove it is alive.
if (!queues.includes('health')) queues.push('health');
// The train, sample and infer processors run TensorFlow.js (importing them loads it; their init
// starts the backend). A worker serving none of them, e.g. an export-only CPU machine, never
// loads TensorFlow: loadProcessors imports only the processors of the queues served.
const ML_QUEUES: readonly QueueName[] = ['train', 'sample', 'infer'];
const servesMl = queues.some((q) => ML_QUEUES.includes(q));
const active: Processor[] = await loadProcessors(queues);
const workers: Worker[] = [];

// The backend starts here with this worker's settings (lib/ml/backend.ts reads no environment);
// the ML processors' own initBackend calls then find it running.
if (servesMl) {
  const { initBackend } = await import('../lib/ml/backend');
  setBackendName((await initBackend({ backend: e.HONE_TF_BACKEND, wasmThreads: e.HONE_WASM_THREADS })).name);
}

for (const p of active) {
  if (p.init) await p.init(ctx);
  const worker = new Worker(p.queue, (job) => p.process(job, ctx), {
    connection: redisConnection(),
    prefix: queuePrefix(),
    concurrency: p.concurrency,
    lockDuration: p.lockDuration ?? 60_000,
    ...(p.stalledInterval ? { stalledInterval: p.stalledInterval } : {}),
    ...(p.maxStalledCount ? { maxStalledCount: p.maxStalledCount } : {}),
  });
  worker.on('error', (err) => log.error('worker error', { queue: p.queue, error: err }));
  worker.on('failed', (job, err) => log.warn('job failed', { queue: p.queue, jobId: job?.id, error: err.message }));
  worker.on('completed', (job) => log.debug('job completed', { queue: p.queue, jobId: job.id }));
  workers.push(worker);
}

// What the admin page shows about the backend: why it was chosen and, on WebGPU, the adapter;
// and, for a train worker, its capacity (matmul GFLOP/s and memory limit, probed once here, ~2 s)
// that the launch form estimates stages with and the launcher checks plans against.
const mlInfo = servesMl ? await backendDetails() : { tensorflow: 'not loaded (no train/sample/infer queue)' };
async function backendDetails(): Promise<Record<string, unknown>> {
  const { backendInfo } = await import('../lib/ml/backend');
  const { webgpuAdapter } = await import('../lib/ml/backend-webgpu');
  const b = backendInfo();
  const adapter = webgpuAdapter();
  let capacity: Record<string, unknown> | undefined;
  if (queues.includes('train')) {
    const { measureCapacity } = await import('../lib/ml/capacity');
    try {
      capacity = await measureCapacity(b.name, { softwareAdapter: adapter?.software });
    } catch (err) {
      log.warn('capacity probe failed; plans will not be checked against this worker', { error: (err as Error).message });
    }
  }
  return { backendReason: b.reason, engine: b.engine, ...(b.threads ? { threads: b.threads } : {}), ...(adapter ? { adapter } : {}), ...(capacity ? { capacity } : {}) };
}

async function beat() {
  try {
    await writeHeartbeat({ id: workerId, hostname: os.hostname(), pid: process.pid, queues, backend: backendName, info: { node: process.version, ...mlInfo } });
  } catch (err) {
    log.warn('heartbeat failed', { error: (err as Error).message });
  }
}
await beat();
const timer = setInterval(beat, HEARTBEAT_MS);

// One pass at a time; a pass that meets an outage is skipped and the next one tries again.
let reconciling = false;
async function reconcilePass() {
  if (reconciling || closing) return;
  reconciling = true;
  try {
    for (const a of await reconcile()) log.warn('reconciled', { ...a });
  } catch (err) {
    log.warn('reconcile pass failed; the next one retries', { error: (err as Error).message });
  } finally {
    reconciling = false;
  }
}
void reconcilePass();
const reconcileTimer = setInterval(() => void reconcilePass(), e.HONE_RECONCILE_EVERY_MS);
log.info('worker started', { queues, processors: active.map((p) => p.queue), backend: backendName, ...mlInfo });

async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  log.info('shutting down', { signal });
  clearInterval(timer);
  clearInterval(reconcileTimer);
  // Workers first (they finish or release their jobs), then queues, then connections.
  await Promise.all(workers.map((w) => w.close().catch((err) => log.error('close failed', { error: err }))));
  for (const p of active) await p.close?.().catch((err) => log.error('processor close failed', { error: err }));
  await closeQueues();
  await removeHeartbeat(workerId).catch(() => {});
  await closeDatabase();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
