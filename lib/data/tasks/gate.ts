// Reads a labeler's hold on a task in one query and turns the common refusals into clear
// errors: unknown task (NOT_FOUND), someone else's task (FORBIDDEN).
import { Prisma } from '../../db';
import { AppError } from '../errors';
import type { TaskKindName } from '../../shared/labeling';
import { NOW } from './sql';
import { hotQuery } from './pg-pool';

export type Hold = {
  assignmentId: string;
  status: 'ACTIVE' | 'SUBMITTED' | 'SKIPPED' | 'EXPIRED';
  expired: boolean; // the lease ran out (whether or not the reclaimer has marked it yet)
  expiresAt: Date;
  leasedAt: Date;
  submissionKey: string | null;
  taskId: string;
  kind: TaskKindName;
  projectId: string;
  promptId: string | null;
  completionSetId: string | null;
  arenaBattleId: string | null;
  displaySeed: number | null;
  roundId: string | null;
  k: number | null;
  guidelineVersion: number;
};

type Row = Omit<Hold, 'assignmentId' | 'status'> & { assignmentId: string | null; status: Hold['status'] | null };

export async function readHold(taskId: string, userId: string): Promise<Hold> {
  const rows = await hotQuery<Row>(Prisma.sql`
    SELECT a.id AS "assignmentId", a.status::text AS status, (a."expiresAt" <= ${NOW}) AS expired, a."expiresAt", a."leasedAt", a."submissionKey",
           t.id AS "taskId", t.kind::text AS kind, t."projectId", t."promptId", t."completionSetId", t."arenaBattleId",
           cs."displaySeed", cs."roundId",
           (SELECT count(*)::int FROM "Completion" c WHERE c."setId" = t."completionSetId") AS k,
           COALESCE((SELECT max(g.version) FROM "GuidelineVersion" g WHERE g."projectId" = t."projectId"), 0)::int AS "guidelineVersion"
    FROM "Task" t
    LEFT JOIN "Assignment" a ON a."taskId" = t.id AND a."userId" = ${userId}
    LEFT JOIN "CompletionSet" cs ON cs.id = t."completionSetId"
    WHERE t.id = ${taskId}`);
  const row = rows[0];
  if (!row) throw new AppError('NOT_FOUND', `No task with id ${taskId}.`);
  if (!row.assignmentId || !row.status) throw new AppError('FORBIDDEN', 'This task is not assigned to you. Take tasks with "Next task".');
  return { ...row, assignmentId: row.assignmentId, status: row.status, expiresAt: new Date(row.expiresAt), leasedAt: new Date(row.leasedAt) };
}
