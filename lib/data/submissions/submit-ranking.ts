// Stores one labeler's ranking of a completion set, raw: tiers (ties allowed), "all bad",
// per-completion flags, Likert 1–7 (overall, and per completion where the project asks for it),
// comment, time on task, the display order they saw and the guideline version they had on
// screen (marked outdated when a newer one was out). One read and one atomic write statement (assignment → SUBMITTED,
// judgement row, task counters), so double submits and races resolve in the database.
import { Prisma } from '../../db';
import { AppError } from '../errors';
import { newId } from '../../shared/ids';
import { displayOrder, tiersProblem } from '../../shared/labeling';
import { RankingSubmission } from '../../shared/schemas';
import { readHold } from '../tasks/gate';
import { NOW } from '../tasks/sql';
import { hotQuery } from '../tasks/pg-pool';
import { afterLostRace, priorOutcome, timeOnTask, type SubmitResult } from './outcome';
import type { LikertMode } from '../../shared/collection';
import { checkLikertPerCompletion } from './likert-per-completion';
import { guidelineSeen } from './guideline-seen';

export async function submitRanking(taskId: string, userId: string, input: RankingSubmission, idempotencyKey?: string): Promise<SubmitResult> {
  const body = RankingSubmission.parse(input);
  const key = idempotencyKey ?? body.idempotencyKey;
  const hold = await readHold(taskId, userId);
  if (hold.kind !== 'RANKING') throw new AppError('INVALID_INPUT', `Task ${taskId} is a ${hold.kind.toLowerCase()} task, not a ranking.`);
  const { idempotencyKey: _k, kind: _kind, ...draft } = body;
  const prior = await priorOutcome(hold, key, { ...draft, kind: 'RANKING' });
  if (prior) return prior;

  const k = hold.k ?? 0;
  const problem = tiersProblem(body.tiers, k);
  if (problem) throw new AppError('INVALID_INPUT', problem, { field: 'tiers' });
  for (const idx of Object.keys(body.flags)) {
    if (Number(idx) >= k) throw new AppError('INVALID_INPUT', `Flags name completion ${idx}, but this set has completions 0–${k - 1}.`, { field: 'flags' });
  }
  const flags = Object.fromEntries(Object.entries(body.flags).filter(([, v]) => v.length > 0));
  const [project] = await hotQuery<{ likertMode: LikertMode }>(Prisma.sql`SELECT "likertMode" FROM "Project" WHERE id = ${hold.projectId}`);
  const likertPerCompletion = checkLikertPerCompletion(body.likertPerCompletion, k, project?.likertMode ?? 'PER_RANKING');
  const guideline = guidelineSeen(body.guidelineVersion, hold.guidelineVersion);
  const order = displayOrder(k, hold.displaySeed ?? 0, userId);
  const comment = body.comment?.trim() ? body.comment.trim() : null;
  const judgementId = newId();

  const rows = await hotQuery<{ id: string }>(Prisma.sql`
    WITH upd AS (
      UPDATE "Assignment" SET status = 'SUBMITTED', "submittedAt" = ${NOW}, "submissionKey" = ${key ?? null}, "updatedAt" = ${NOW}
      WHERE id = ${hold.assignmentId} AND status = 'ACTIVE' AND "expiresAt" > ${NOW}
      RETURNING id
    ), j AS (
      INSERT INTO "Judgement" (id, "projectId", "setId", "taskId", "assignmentId", "userId", "roundId", tiers, "allBad", flags, likert, "likertPerCompletion", comment, "displayOrder", "timeMs", "guidelineVersion", "guidelineOutdated", "createdAt")
      SELECT ${judgementId}, ${hold.projectId}, ${hold.completionSetId}, ${taskId}, upd.id, ${userId}, ${hold.roundId},
             ${JSON.stringify(body.tiers)}::jsonb, ${body.allBad}, ${JSON.stringify(flags)}::jsonb, ${body.likert ?? null}::int,
             ${likertPerCompletion ? JSON.stringify(likertPerCompletion) : null}::jsonb, ${comment},
             ${JSON.stringify(order)}::jsonb, ${timeOnTask(hold, body.timeMs)}::int, ${guideline.version}::int, ${guideline.outdated}, ${NOW}
      FROM upd
      RETURNING id
    ), t AS (
      UPDATE "Task" SET "doneCount" = "doneCount" + 1, "activeCount" = GREATEST("activeCount" - 1, 0),
             status = CASE WHEN "doneCount" + 1 >= wanted THEN 'DONE'::"TaskStatus" ELSE status END, "updatedAt" = ${NOW}
      WHERE id = ${taskId} AND EXISTS (SELECT 1 FROM upd)
      RETURNING id
    )
    SELECT id FROM j`);
  if (rows.length === 0) return afterLostRace(hold, key, { ...draft, kind: 'RANKING' }, () => readHold(taskId, userId));
  return { taskId, assignmentId: hold.assignmentId, kind: 'RANKING', submissionId: judgementId, duplicate: false };
}
