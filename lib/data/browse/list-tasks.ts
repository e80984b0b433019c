// Use case: one page of a project's tasks, newest first: kind, status, how many submissions it
// has and wants, and the prompt (or completion set) it is about.
import { Prisma, prisma } from '../../db';
import { inSnapshot, pageOf, pageResult, PREVIEW_CHARS, splitIn, where, type Page, type Scope } from './scope';

export type TaskRow = {
  id: string;
  kind: 'DEMONSTRATION' | 'DIALOGUE' | 'RANKING';
  status: 'OPEN' | 'DONE' | 'CANCELLED';
  promptId: string | null;
  setId: string | null;
  prompt: string | null;
  split: 'TRAIN' | 'VAL' | 'TEST' | null;
  wanted: number;
  doneCount: number;
  activeCount: number;
  labelers: number;
  createdAt: string;
};

type Raw = Omit<TaskRow, 'createdAt'> & { createdAt: Date };

function conditions(s: Scope): Prisma.Sql[] {
  const { query } = s;
  const conds = [Prisma.sql`t."projectId" = ${s.projectId}`];
  if (s.like) conds.push(Prisma.sql`(p.text ILIKE ${s.like} OR t.id = ${query.q})`);
  if (query.split) conds.push(splitIn(Prisma.sql`p.split`, query.split));
  if (query.status) conds.push(Prisma.sql`t.status = ${query.status.toUpperCase()}::"TaskStatus"`);
  if (query.kind) conds.push(Prisma.sql`t.kind = ${query.kind.toUpperCase()}::"TaskKind"`);
  if (query.labeler) conds.push(Prisma.sql`EXISTS (SELECT 1 FROM "Assignment" a WHERE a."taskId" = t.id AND a."userId" = ${query.labeler})`);
  if (s.snapshotId !== undefined) {
    // "Used by a round": something submitted for it is in the round's frozen training data.
    conds.push(Prisma.sql`t.id IN (
      SELECT d."taskId" FROM "Demonstration" d WHERE d.id IN ${inSnapshot(s.snapshotId, 'demonstration')}
      UNION SELECT c."taskId" FROM "Conversation" c WHERE c.id IN ${inSnapshot(s.snapshotId, 'conversation')}
      UNION SELECT j."taskId" FROM "Judgement" j WHERE j.id IN ${inSnapshot(s.snapshotId, 'judgement')})`);
  }
  return conds;
}

// A ranking task's prompt is its set's when the task row names none.
const FROM = Prisma.sql`FROM "Task" t LEFT JOIN "CompletionSet" cs ON cs.id = t."completionSetId" LEFT JOIN "Prompt" p ON p.id = COALESCE(t."promptId", cs."promptId")`;

export async function listTasks(s: Scope): Promise<Page<TaskRow>> {
  const w = where(conditions(s));
  const [rows, count] = await Promise.all([
    prisma.$queryRaw<Raw[]>`
      WITH page AS (
        SELECT t.id, t.kind::text AS kind, t.status::text AS status, p.id AS "promptId", t."completionSetId" AS "setId", left(p.text, ${PREVIEW_CHARS}) AS prompt,
               p.split::text AS split, t.wanted, t."doneCount", t."activeCount", t."createdAt"
        ${FROM} ${w} ORDER BY t."createdAt" DESC, t.id DESC ${pageOf(s.query)}
      )
      SELECT page.*, (SELECT count(*)::int FROM "Assignment" a WHERE a."taskId" = page.id) AS labelers
      FROM page ORDER BY page."createdAt" DESC, page.id DESC`,
    prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n ${FROM} ${w}`,
  ]);
  return pageResult(s.query, rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })), count[0]?.n ?? 0);
}
