// Autosave: stores a labeler's work in progress on their assignment. Works while the lease is
// live and after it expired (the work stays as a draft); never after submit.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { readHold } from '../tasks/gate';
import { NOW } from '../tasks/sql';

export type DraftSaved = { taskId: string; savedAt: string; leaseExpired: boolean };

export async function saveDraft(taskId: string, userId: string, draft: Record<string, unknown>): Promise<DraftSaved> {
  const json = JSON.stringify(draft);
  if (json.length > 200_000) throw new AppError('INVALID_INPUT', 'The draft is larger than 200 000 characters.');
  const rows = await prisma.$queryRaw<{ savedAt: Date; expired: boolean }[]>`
    UPDATE "Assignment" SET draft = ${json}::jsonb, "draftUpdatedAt" = ${NOW}, "updatedAt" = ${NOW}
    WHERE "taskId" = ${taskId} AND "userId" = ${userId} AND status IN ('ACTIVE', 'EXPIRED')
    RETURNING "draftUpdatedAt" AS "savedAt", (status = 'EXPIRED' OR "expiresAt" <= ${NOW}) AS expired`;
  if (rows.length === 0) {
    const hold = await readHold(taskId, userId); // NOT_FOUND / FORBIDDEN
    if (hold.status === 'SUBMITTED') throw new AppError('CONFLICT', 'This task is already submitted; the draft was not changed.');
    throw new AppError('CONFLICT', 'You skipped this task; drafts are no longer saved for it.');
  }
  return { taskId, savedAt: new Date(rows[0].savedAt).toISOString(), leaseExpired: rows[0].expired };
}
