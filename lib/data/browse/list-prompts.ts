// Use case: one page of a project's prompts, newest first, with how much work hangs off each.
import { Prisma, prisma } from '../../db';
import { inSnapshot, pageOf, pageResult, PREVIEW_CHARS, splitIn, where, type Page, type Scope } from './scope';

export type PromptRow = {
  id: string;
  text: string;
  textLength: number;
  split: 'TRAIN' | 'VAL' | 'TEST';
  source: string;
  tags: string[];
  createdAt: string;
  tasks: number;
  sets: number;
  submissions: number;
};

type Raw = Omit<PromptRow, 'tasks' | 'sets' | 'submissions' | 'createdAt'> & { createdAt: Date };

function conditions(s: Scope): Prisma.Sql[] {
  const { query } = s;
  const conds = [Prisma.sql`p."projectId" = ${s.projectId}`];
  if (s.like) conds.push(Prisma.sql`(p.text ILIKE ${s.like} OR p.id = ${query.q})`);
  if (query.split) conds.push(splitIn(Prisma.sql`p.split`, query.split));
  if (query.labeler) {
    // Prompts the labeler wrote or worked on: a demonstration, a dialogue, a ranking of its sets.
    conds.push(Prisma.sql`((p.source = 'LABELER' AND p."createdById" = ${query.labeler}) OR p.id IN (
      SELECT d."promptId" FROM "Demonstration" d WHERE d."userId" = ${query.labeler} AND d."projectId" = ${s.projectId}
      UNION SELECT c."promptId" FROM "Conversation" c WHERE c."userId" = ${query.labeler} AND c."projectId" = ${s.projectId}
      UNION SELECT cs."promptId" FROM "Judgement" j JOIN "CompletionSet" cs ON cs.id = j."setId" WHERE j."userId" = ${query.labeler} AND j."projectId" = ${s.projectId}))`);
  }
  if (s.snapshotId !== undefined) conds.push(Prisma.sql`p.id IN ${inSnapshot(s.snapshotId, 'prompt')}`);
  return conds;
}

export async function listPrompts(s: Scope): Promise<Page<PromptRow>> {
  const w = where(conditions(s));
  const [rows, count] = await Promise.all([
    prisma.$queryRaw<Raw[]>`
      SELECT p.id, left(p.text, ${PREVIEW_CHARS}) AS text, length(p.text)::int AS "textLength", p.split::text AS split, p.source::text AS source, p.tags, p."createdAt"
      FROM "Prompt" p ${w} ORDER BY p."createdAt" DESC, p.id DESC ${pageOf(s.query)}`,
    prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Prompt" p ${w}`,
  ]);
  const ids = rows.map((r) => r.id);
  // Counted for the page's prompts only, one grouped query per table.
  const [tasks, sets, submissions] = ids.length
    ? await Promise.all([
        prisma.$queryRaw<{ id: string; n: number }[]>`SELECT "promptId" AS id, count(*)::int AS n FROM "Task" WHERE "promptId" IN (${Prisma.join(ids)}) GROUP BY 1`,
        prisma.$queryRaw<{ id: string; n: number }[]>`SELECT "promptId" AS id, count(*)::int AS n FROM "CompletionSet" WHERE "promptId" IN (${Prisma.join(ids)}) GROUP BY 1`,
        prisma.$queryRaw<{ id: string; n: number }[]>`
          SELECT id, sum(n)::int AS n FROM (
            SELECT "promptId" AS id, count(*) AS n FROM "Demonstration" WHERE "promptId" IN (${Prisma.join(ids)}) GROUP BY 1
            UNION ALL SELECT "promptId", count(*) FROM "Conversation" WHERE "promptId" IN (${Prisma.join(ids)}) AND submitted GROUP BY 1
            UNION ALL SELECT cs."promptId", count(*) FROM "Judgement" j JOIN "CompletionSet" cs ON cs.id = j."setId" WHERE cs."promptId" IN (${Prisma.join(ids)}) GROUP BY 1
          ) u GROUP BY id`,
      ])
    : [[], [], []];
  const of = (list: { id: string; n: number }[]) => new Map(list.map((r) => [r.id, r.n]));
  const [t, se, su] = [of(tasks), of(sets), of(submissions)];
  const items = rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), tasks: t.get(r.id) ?? 0, sets: se.get(r.id) ?? 0, submissions: su.get(r.id) ?? 0 }));
  return pageResult(s.query, items, count[0]?.n ?? 0);
}
