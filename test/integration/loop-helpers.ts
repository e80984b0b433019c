// Shared by the loop's integration tests: a seeded project worked by in-process simulated
// labelers, tiny stage settings for the nano preset, a worker started as a child process
// (`node --import tsx worker/main.ts`) on this run's database and Redis prefix, and waits.
import { spawn, type ChildProcess } from 'node:child_process';
import { prisma } from '../../lib/db';
import { createSimProjectInProcess } from '../../lib/sim/seed-in-process';
import { createLabelersInProcess, inProcessSession } from '../../lib/sim/in-process';
import { runLabelers } from '../../lib/sim/labelers';

export const TINY = {
  pretrain: { steps: 4, batchSize: 4, microBatchSize: 4, checkpointEvery: 2, evalEvery: 2 },
  sft: { steps: 6, batchSize: 4, microBatchSize: 4, checkpointEvery: 3, evalEvery: 3, lr: 1e-3 },
  rm: { steps: 6, batchSize: 4, microBatchSize: 4, checkpointEvery: 3, evalEvery: 3, lr: 1e-4 },
  ppo: { steps: 4, batchSize: 4, miniBatchSize: 4, microBatchSize: 4, ppoEpochs: 1, maxNewTokens: 12, checkpointEvery: 2 },
  evaluate: { prompts: 4, samples: 2, maxNewTokens: 12 },
};

export async function seededProject(name: string, opts: { prompts?: number; labelers?: number } = {}) {
  const project = await createSimProjectInProcess({ name, prompts: opts.prompts ?? 20, k: 4, overlap: 1 });
  const labelers = await createLabelersInProcess(opts.labelers ?? 2, name.toLowerCase().replace(/\W+/g, '-'));
  const byEmail = new Map(labelers.map((l) => [l.email, l.id]));
  const report = await runLabelers({ labelers, projectId: project.id, noise: 0.1, connect: async (l) => inProcessSession(byEmail.get(l.email)!) });
  return { project, labelers, report };
}

const deadWorkers: string[] = [];

/** `env` adds to (or overrides) this process's environment, e.g. `{ HONE_TF_BACKEND: 'wasm' }`. */
export function startWorker(tag: string, queues = 'train,sample,infer', env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: { ...process.env, HONE_WORKER_QUEUES: queues, HONE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  child.stdout!.on('data', (c) => out.push(String(c)));
  child.stderr!.on('data', (c) => {
    out.push(String(c));
    if (process.env.LOOP_TEST_VERBOSE) process.stderr.write(`[${tag}] ${c}`);
  });
  child.on('exit', (code, signal) => {
    if (signal !== 'SIGKILL' && signal !== 'SIGTERM' && code !== 0) deadWorkers.push(`worker ${tag} exited (${signal ?? code}):\n${out.join('').slice(-3000)}`);
  });
  return child;
}

export async function stopWorker(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(t);
}

/** Polls `read` until `until` holds (Postgres is the event source the UI watches too). */
export async function waitFor<T>(what: string, read: () => Promise<T>, until: (v: T) => boolean, timeoutMs = 120_000, everyMs = 300): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (until(last)) return last;
    if (deadWorkers.length) throw new Error(deadWorkers.join('\n'));
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 2000)}`);
}

export const roundState = (id: string) =>
  prisma.trainingRound.findUniqueOrThrow({
    where: { id },
    select: { status: true, error: true, jobs: { select: { id: true, stage: true, status: true, step: true, resumeUri: true, attempts: true, error: true }, orderBy: { createdAt: 'asc' } } },
  });
