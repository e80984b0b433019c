// GET /api/health — database, Redis and worker heartbeat, reported separately.
// `?deep=1` also sends a job through the health queue and waits for a worker's answer.
import { databaseHealth } from '@/lib/data/health';
import { lastHeartbeat } from '@/lib/data/workers/heartbeat';
import { redisHealth, workerRoundTrip } from '@/lib/queue/health';

export const dynamic = 'force-dynamic';

const HEARTBEAT_FRESH_MS = 15_000;

export async function GET(req: Request) {
  const deep = new URL(req.url).searchParams.get('deep') === '1';
  const [database, redis] = await Promise.all([databaseHealth(), redisHealth()]);
  let worker: { ok: boolean; lastHeartbeat: string | null; ageMs: number | null; backend?: string | null; engine?: string | null; roundTrip?: unknown; error?: string };
  if (database.ok) {
    const last = await lastHeartbeat();
    const ageMs = last ? Date.now() - last.at.getTime() : null;
    worker = {
      ok: ageMs !== null && ageMs < HEARTBEAT_FRESH_MS,
      lastHeartbeat: last?.at.toISOString() ?? null,
      ageMs,
      // The TensorFlow.js backend the freshest worker trains on (null for an export-only worker).
      backend: last?.backend ?? null,
      engine: last?.engine ?? null,
      ...(ageMs === null ? { error: 'no worker has ever reported; start one with `npm run worker`' } : ageMs >= HEARTBEAT_FRESH_MS ? { error: `last heartbeat ${Math.round(ageMs / 1000)} s ago` } : {}),
    };
    if (deep && redis.ok) {
      const rt = await workerRoundTrip();
      worker.roundTrip = rt;
      worker.ok &&= rt.ok;
    }
  } else {
    worker = { ok: false, lastHeartbeat: null, ageMs: null, error: 'unknown: the database is unreachable' };
  }
  const ok = database.ok && redis.ok && worker.ok;
  return Response.json({ ok, database, redis, worker }, { status: ok ? 200 : 503 });
}
