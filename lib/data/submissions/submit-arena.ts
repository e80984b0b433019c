// Stores one labeler's arena vote: the side they chose (left, right, tie, both bad) mapped to the
// battle's own order (model A, model B) through the same per-labeler swap the task view used,
// with `swapped` kept so position bias can be measured. One atomic statement (assignment →
// SUBMITTED, vote row, task counters) as for rankings, so double submits and races resolve in the
// database. A vote on a closed evaluation is refused.
import { Prisma } from '../../db';
import { AppError } from '../errors';
import { newId } from '../../shared/ids';
import { arenaSwapped, arenaWinner } from '../../shared/labeling';
import { ArenaSubmission } from '../../shared/schemas';
import { readHold } from '../tasks/gate';
import { NOW } from '../tasks/sql';
import { hotQuery } from '../tasks/pg-pool';
import { afterLostRace, priorOutcome, timeOnTask, type SubmitResult } from './outcome';
import { guidelineSeen } from './guideline-seen';

export async function submitArena(taskId: string, userId: string, input: ArenaSubmission, idempotencyKey?: string): Promise<SubmitResult> {
  const body = ArenaSubmission.parse(input);
  const key = idempotencyKey ?? body.idempotencyKey;
  const hold = await readHold(taskId, userId);
  if (hold.kind !== 'ARENA' || !hold.arenaBattleId) throw new AppError('INVALID_INPUT', `Task ${taskId} is a ${hold.kind.toLowerCase()} task, not an arena vote.`);
  const draft = { kind: 'ARENA', vote: body.vote };
  const prior = await priorOutcome(hold, key, draft);
  if (prior) return prior;

  const [battle] = await hotQuery<{ evaluationId: string; displaySeed: number; status: string }>(Prisma.sql`
    SELECT b."evaluationId", b."displaySeed", e.status::text AS status
    FROM "ArenaBattle" b JOIN "ArenaEvaluation" e ON e.id = b."evaluationId" WHERE b.id = ${hold.arenaBattleId}`);
  if (!battle) throw new AppError('NOT_FOUND', 'This arena battle no longer exists.');
  if (battle.status !== 'OPEN') throw new AppError('CONFLICT', 'This arena evaluation was closed, so your vote was not recorded. Take the next task.');
  const guideline = guidelineSeen(body.guidelineVersion, hold.guidelineVersion);
  const swapped = arenaSwapped(battle.displaySeed, userId);
  const winner = arenaWinner(body.vote, swapped);
  const voteId = newId();

  const rows = await hotQuery<{ id: string }>(Prisma.sql`
    WITH upd AS (
      UPDATE "Assignment" SET status = 'SUBMITTED', "submittedAt" = ${NOW}, "submissionKey" = ${key ?? null}, "updatedAt" = ${NOW}
      WHERE id = ${hold.assignmentId} AND status = 'ACTIVE' AND "expiresAt" > ${NOW}
      RETURNING id
    ), v AS (
      INSERT INTO "ArenaVote" (id, "evaluationId", "battleId", "assignmentId", "userId", winner, swapped, "timeMs", "guidelineVersion", "createdAt")
      SELECT ${voteId}, ${battle.evaluationId}, ${hold.arenaBattleId}, upd.id, ${userId}, ${winner}::"ArenaWinner", ${swapped},
             ${timeOnTask(hold, body.timeMs)}::int, ${guideline.version}::int, ${NOW}
      FROM upd
      RETURNING id
    ), t AS (
      UPDATE "Task" SET "doneCount" = "doneCount" + 1, "activeCount" = GREATEST("activeCount" - 1, 0),
             status = CASE WHEN "doneCount" + 1 >= wanted THEN 'DONE'::"TaskStatus" ELSE status END, "updatedAt" = ${NOW}
      WHERE id = ${taskId} AND EXISTS (SELECT 1 FROM upd)
      RETURNING id
    )
    SELECT id FROM v`);
  if (rows.length === 0) return afterLostRace(hold, key, draft, () => readHold(taskId, userId));
  return { taskId, assignmentId: hold.assignmentId, kind: 'ARENA', submissionId: voteId, duplicate: false };
}
