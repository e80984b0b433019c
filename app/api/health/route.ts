// GET /api/health — database, Redis and worker heartbeat, reported separately.
// `?deep=1` also sends a job through the health queue and waits for a worker's answer.
// Anonymous callers (load balancers, uptime probes) get only `{ok}` and 200/503: the details
// name workers, backends and errors, and deep=1 enqueues a job, so those need an admin session
// or an API token (any role: tokens are how scripts and monitors sign in).
import { authenticate } from '@/lib/auth/api';
import { AppError } from '@/lib/data/errors';
import { errorResponse } from '@/lib/http';
import { databaseHealth } from '@/lib/data/health';
import { lastHeartbeat } from '@/lib/data/workers/heartbeat';
import { redisHealth, workerRoundTrip } from '@/lib/queue/health';

export const dynamic = 'force-dynamic';

const HEARTBEAT_FRESH_MS = 15_000;

type Caller = 'anonymous' | 'signed-in' | 'inspector';

/** Who is asking. A bad token is an error, not an anonymous caller; a stale cookie is anonymous. */
async function callerOf(req: Request): Promise<Caller> {
  const hasToken = req.headers.has('authorization');
  if (!hasToken && !req.headers.has('cookie')) return 'anonymous';
  try {
    const user = await authenticate(req);
    return hasToken || user.role === 'ADMIN' ? 'inspector' : 'signed-in';
  } catch (e) {
    if (hasToken) throw e;
    return 'anonymous';
  }
}

export async function GET(req: Request) {
  let caller: Caller;
  try {
    caller = await callerOf(req);
  } catch (e) {
    return errorResponse(e);
  }
  const detailed = caller === 'inspector';
  const deep = new URL(req.url).searchParams.get('deep') === '1';
  if (deep && !detailed) {
    const why = '/api/health?deep=1 sends a job to a worker: it needs an admin session or an API token (Authorization: Bearer hone_…).';
    return errorResponse(new AppError(caller === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN', why));
  }
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
  return Response.json(detailed ? { ok, database, redis, worker } : { ok }, { status: ok ? 200 : 503 });
}
