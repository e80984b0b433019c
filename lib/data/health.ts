// Database part of /api/health.
import { prisma } from '../db';

export async function databaseHealth(): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const t0 = performance.now();
  try {
    await prisma.$queryRaw`SELECT 1`;
    return { ok: true, latencyMs: Math.round(performance.now() - t0) };
  } catch (e) {
    return { ok: false, latencyMs: Math.round(performance.now() - t0), error: (e as Error).message.split('\n')[0] };
  }
}
