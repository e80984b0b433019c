// Takes an expired lease back ("Resume"): the labeler's own EXPIRED assignment becomes ACTIVE
// again with a fresh expiry, if the task still has a free slot. The draft is still on it.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { readHold } from './gate';
import { NOW } from './sql';

export async function renewLease(taskId: string, userId: string): Promise<{ taskId: string; expiresAt: string }> {
  const hold = await readHold(taskId, userId);
  if (hold.status === 'SUBMITTED') throw new AppError('CONFLICT', 'You already submitted this task.');
  if (hold.status === 'SKIPPED') throw new AppError('CONFLICT', 'You skipped this task; it went back to the pool.');
  const rows = await prisma.$transaction(async (tx) => {
    // a gold honeypot is served beyond its overlap and status, so it stays resumable (gold-due.ts)
    const task = await tx.$queryRaw<{ free: boolean; status: string; honeypot: boolean }[]>`
      SELECT (t."doneCount" + t."activeCount" < t.wanted) AS free, t.status::text AS status,
             EXISTS (SELECT 1 FROM "CompletionSet" s JOIN "Project" p ON p.id = s."projectId"
                     WHERE s.id = t."completionSetId" AND s."goldTiers" IS NOT NULL AND p."goldShare" > 0) AS honeypot
      FROM "Task" t WHERE t.id = ${taskId} FOR UPDATE OF t`;
    const a = await tx.$queryRaw<{ status: string; expired: boolean }[]>`
      SELECT status::text AS status, ("expiresAt" <= ${NOW}) AS expired FROM "Assignment" WHERE id = ${hold.assignmentId} FOR UPDATE`;
    const wasActive = a[0].status === 'ACTIVE';
    const open = task[0].honeypot ? task[0].status !== 'CANCELLED' : task[0].status === 'OPEN' && task[0].free;
    if (!wasActive && !open) {
      throw new AppError('GONE', 'Your lease expired and other labelers have taken every slot of this task since. Your draft is kept; take another task.');
    }
    const out = await tx.$queryRaw<{ expiresAt: Date }[]>`
      UPDATE "Assignment" a SET status = 'ACTIVE', "expiresAt" = ${NOW} + make_interval(mins => p."leaseMinutes"), "updatedAt" = ${NOW}
      FROM "Project" p WHERE a.id = ${hold.assignmentId} AND p.id = ${hold.projectId}
      RETURNING a."expiresAt"`;
    if (!wasActive) await tx.$executeRaw`UPDATE "Task" SET "activeCount" = "activeCount" + 1, "updatedAt" = ${NOW} WHERE id = ${taskId}`;
    return out;
  });
  return { taskId, expiresAt: new Date(rows[0].expiresAt).toISOString() };
}
