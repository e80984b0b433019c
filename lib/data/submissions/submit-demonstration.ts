// Stores a demonstration (the ideal answer to the task's prompt) with the guideline version the
// labeler saw (outdated or not) and time on task, in one atomic statement like submit-ranking.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { newId } from '../../shared/ids';
import { DemonstrationSubmission } from '../../shared/schemas';
import { readHold } from '../tasks/gate';
import { NOW } from '../tasks/sql';
import { acceptedSuggestion } from '../suggestions/accepted-suggestion';
import { afterLostRace, priorOutcome, timeOnTask, type SubmitResult } from './outcome';
import { guidelineSeen } from './guideline-seen';

export async function submitDemonstration(taskId: string, userId: string, input: DemonstrationSubmission, idempotencyKey?: string): Promise<SubmitResult> {
  const body = DemonstrationSubmission.parse(input);
  const key = idempotencyKey ?? body.idempotencyKey;
  const hold = await readHold(taskId, userId);
  if (hold.kind !== 'DEMONSTRATION') throw new AppError('INVALID_INPUT', `Task ${taskId} is a ${hold.kind.toLowerCase()} task, not a demonstration.`);
  const draft = { kind: 'DEMONSTRATION', text: body.text };
  const prior = await priorOutcome(hold, key, draft);
  if (prior) return prior;
  if (!hold.promptId) throw new AppError('CONFLICT', 'This task has no prompt.');
  const suggestion = await acceptedSuggestion(hold.assignmentId, body.suggestionId);
  const guideline = guidelineSeen(body.guidelineVersion, hold.guidelineVersion);
  const id = newId();
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    WITH upd AS (
      UPDATE "Assignment" SET status = 'SUBMITTED', "submittedAt" = ${NOW}, "submissionKey" = ${key ?? null}, "updatedAt" = ${NOW}
      WHERE id = ${hold.assignmentId} AND status = 'ACTIVE' AND "expiresAt" > ${NOW}
      RETURNING id
    ), d AS (
      INSERT INTO "Demonstration" (id, "projectId", "taskId", "assignmentId", "promptId", "userId", text, "guidelineVersion", "guidelineOutdated", "timeMs", "createdAt", "suggestionText", "suggestionCheckpointId")
      SELECT ${id}, ${hold.projectId}, ${taskId}, upd.id, ${hold.promptId}, ${userId}, ${body.text}, ${guideline.version}::int, ${guideline.outdated}, ${timeOnTask(hold, body.timeMs)}::int, ${NOW}, ${suggestion?.text ?? null}, ${suggestion?.checkpointId ?? null}
      FROM upd
      RETURNING id
    ), t AS (
      UPDATE "Task" SET "doneCount" = "doneCount" + 1, "activeCount" = GREATEST("activeCount" - 1, 0),
             status = CASE WHEN "doneCount" + 1 >= wanted THEN 'DONE'::"TaskStatus" ELSE status END, "updatedAt" = ${NOW}
      WHERE id = ${taskId} AND EXISTS (SELECT 1 FROM upd)
      RETURNING id
    )
    SELECT id FROM d`;
  if (rows.length === 0) return afterLostRace(hold, key, draft, () => readHold(taskId, userId));
  return { taskId, assignmentId: hold.assignmentId, kind: 'DEMONSTRATION', submissionId: id, duplicate: false };
}
