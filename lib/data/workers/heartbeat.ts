// Worker heartbeats: each worker process upserts its row every few seconds; /api/health and
// the admin UI read the freshest ones.
import { prisma } from '../../db';

export type WorkerInfo = { id: string; hostname: string; pid: number; queues: string[]; backend?: string | null; info?: Record<string, unknown> };

export async function writeHeartbeat(w: WorkerInfo): Promise<void> {
  const now = new Date();
  await prisma.workerHeartbeat.upsert({
    where: { id: w.id },
    create: { id: w.id, hostname: w.hostname, pid: w.pid, queues: w.queues, backend: w.backend ?? null, info: (w.info ?? {}) as object, lastSeenAt: now },
    update: { queues: w.queues, backend: w.backend ?? null, info: (w.info ?? {}) as object, lastSeenAt: now },
  });
}

export async function removeHeartbeat(id: string): Promise<void> {
  await prisma.workerHeartbeat.deleteMany({ where: { id } });
}

export type LiveWorker = { id: string; hostname: string; queues: string[]; backend: string | null; info: unknown; lastSeenAt: Date; startedAt: Date };

/** Workers seen within `maxAgeMs`, newest first. */
export async function liveWorkers(maxAgeMs = 15_000): Promise<LiveWorker[]> {
  return prisma.workerHeartbeat.findMany({
    where: { lastSeenAt: { gte: new Date(Date.now() - maxAgeMs) } },
    orderBy: { lastSeenAt: 'desc' },
    select: { id: true, hostname: true, queues: true, backend: true, info: true, lastSeenAt: true, startedAt: true },
  });
}

/** The freshest heartbeat: when, and the TensorFlow.js backend and engine that worker runs. */
export async function lastHeartbeat(): Promise<{ at: Date; backend: string | null; engine: string | null } | null> {
  const row = await prisma.workerHeartbeat.findFirst({ orderBy: { lastSeenAt: 'desc' }, select: { lastSeenAt: true, backend: true, info: true } });
  if (!row) return null;
  const info = (row.info && typeof row.info === 'object' ? row.info : {}) as Record<string, unknown>;
  return { at: row.lastSeenAt, backend: row.backend, engine: typeof info.engine === 'string' ? info.engine : null };
}
