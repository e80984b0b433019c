// Database part of /api/health. It answers within HEALTH_DEADLINE_MS even while Postgres is
// down or silent (the pool's connect timeout covers a refused or dropped connection, the
// deadline a server that accepts and never answers).
import { prisma } from '../db';
import { withDeadline } from './outage';

export const HEALTH_DEADLINE_MS = 2000;

export async function databaseHealth(): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const t0 = performance.now();
  try {
    await withDeadline(prisma.$queryRaw`SELECT 1`, HEALTH_DEADLINE_MS, 'Postgres');
    return { ok: true, latencyMs: Math.round(performance.now() - t0) };
  } catch (e) {
    return { ok: false, latencyMs: Math.round(performance.now() - t0), error: (e as Error).message.split('\n')[0] };
  }
}
