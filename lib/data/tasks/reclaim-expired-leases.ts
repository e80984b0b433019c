// Leases that ran out are reclaimed: ACTIVE → EXPIRED (the draft stays on the row) and the
// task's slot is freed. One statement; rows another reclaimer holds are skipped, not awaited.
import { prisma } from '../../db';
import { NOW } from './sql';

export async function reclaimExpiredLeases(limit = 500): Promise<number> {
  const rows = await prisma.$queryRaw<{ n: bigint }[]>`
    WITH expired AS (
      SELECT id, "taskId" FROM "Assignment"
      WHERE status = 'ACTIVE' AND "expiresAt" <= ${NOW}
      ORDER BY "expiresAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), marked AS (
      UPDATE "Assignment" a SET status = 'EXPIRED', "updatedAt" = ${NOW}
      FROM expired e WHERE a.id = e.id
      RETURNING a."taskId"
    ), freed AS (
      UPDATE "Task" t SET "activeCount" = GREATEST(t."activeCount" - c.n, 0), "updatedAt" = ${NOW}
      FROM (SELECT "taskId", count(*)::int AS n FROM marked GROUP BY "taskId") c
      WHERE t.id = c."taskId"
      RETURNING t.id
    )
    SELECT count(*) AS n FROM marked`;
  return Number(rows[0]?.n ?? 0);
}

// "Next task" reclaims at most this often per process, so a busy queue does not pay for it
// on every call; submit and draft checks read expiresAt directly, so nothing waits on it.
const RECLAIM_EVERY_MS = 5_000;
let lastReclaim = 0;
let inflight: Promise<number> | null = null;

export async function reclaimIfDue(now = Date.now()): Promise<void> {
  if (inflight || now - lastReclaim < RECLAIM_EVERY_MS) return;
  lastReclaim = now;
  inflight = reclaimExpiredLeases().finally(() => (inflight = null));
  await inflight;
}
