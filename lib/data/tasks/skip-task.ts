// Skips a held task with a reason: the slot goes back to the pool (this labeler never gets the
// task again) and the reason is kept on the assignment.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { readHold } from './gate';
import { NOW } from './sql';

export async function skipTask(taskId: string, userId: string, reason: string): Promise<{ taskId: string; status: 'SKIPPED' }> {
  const text = reason.trim();
  if (!text) throw new AppError('INVALID_INPUT', 'Say why you skip this task.');
  const hold = await readHold(taskId, userId);
  if (hold.status === 'SUBMITTED') throw new AppError('CONFLICT', 'You already submitted this task; it cannot be skipped.');
  if (hold.status === 'SKIPPED') return { taskId, status: 'SKIPPED' };
  await prisma.$queryRaw`
    WITH cur AS (
      SELECT id, status FROM "Assignment" WHERE id = ${hold.assignmentId} AND status IN ('ACTIVE', 'EXPIRED') FOR UPDATE
    ), upd AS (
      UPDATE "Assignment" a SET status = 'SKIPPED', "skipReason" = ${text.slice(0, 500)}, "updatedAt" = ${NOW}
      FROM cur WHERE a.id = cur.id
      RETURNING cur.status AS old
    ), freed AS (
      UPDATE "Task" t SET "activeCount" = GREATEST(t."activeCount" - 1, 0), "updatedAt" = ${NOW}
      WHERE t.id = ${taskId} AND EXISTS (SELECT 1 FROM upd WHERE old = 'ACTIVE')
      RETURNING t.id
    )
    SELECT count(*)::int AS n FROM upd`;
  return { taskId, status: 'SKIPPED' };
}
