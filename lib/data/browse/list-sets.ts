// Use case: one page of a project's completion sets, newest first: prompt, K, how far their
// ranking task got, gold or not, and the round whose policy sampled them.
import { Prisma, prisma } from '../../db';
import { inSnapshot, pageOf, pageResult, PREVIEW_CHARS, splitIn, where, type Page, type Scope } from './scope';

export type SetRow = {
  id: string;
  prompt: string;
  promptId: string;
  split: 'TRAIN' | 'VAL' | 'TEST';
  sourceModel: string;
  sampledByRound: number | null;
  fromDialogue: boolean;
  gold: boolean;
  taskStatus: 'OPEN' | 'DONE' | 'CANCELLED' | null;
  wanted: number | null;
  k: number;
  judgements: number;
  createdAt: string;
};

type Raw = Omit<SetRow, 'createdAt'> & { createdAt: Date };

function conditions(s: Scope): Prisma.Sql[] {
  const { query } = s;
  const conds = [Prisma.sql`s."projectId" = ${s.projectId}`];
  if (s.like) {
    conds.push(Prisma.sql`(p.text ILIKE ${s.like} OR s.id = ${query.q} OR s."sourceModel" ILIKE ${s.like}
      OR EXISTS (SELECT 1 FROM "Completion" c WHERE c."setId" = s.id AND c.text ILIKE ${s.like}))`);
  }
  if (query.split) conds.push(splitIn(Prisma.sql`p.split`, query.split));
  if (query.status) conds.push(Prisma.sql`t.status = ${query.status.toUpperCase()}::"TaskStatus"`);
  if (query.gold) conds.push(query.gold === 'yes' ? Prisma.sql`s."goldTiers" IS NOT NULL` : Prisma.sql`s."goldTiers" IS NULL`);
  if (query.labeler) conds.push(Prisma.sql`EXISTS (SELECT 1 FROM "Judgement" j WHERE j."setId" = s.id AND j."userId" = ${query.labeler})`);
  // "Used by a round": one of its judgements is in the round's frozen training data.
  if (s.snapshotId !== undefined) conds.push(Prisma.sql`s.id IN (SELECT j."setId" FROM "Judgement" j WHERE j.id IN ${inSnapshot(s.snapshotId, 'judgement')})`);
  return conds;
}

const FROM = Prisma.sql`FROM "CompletionSet" s JOIN "Prompt" p ON p.id = s."promptId" LEFT JOIN "Task" t ON t."completionSetId" = s.id`;

export async function listSets(s: Scope): Promise<Page<SetRow>> {
  const w = where(conditions(s));
  const [rows, count] = await Promise.all([
    // The page first, then the per-set counts for its rows only.
    prisma.$queryRaw<Raw[]>`
      WITH page AS (
        SELECT s.id, s."promptId", s."sourceModel", s."roundId", s."conversationId", s."goldTiers" IS NOT NULL AS gold, s."createdAt",
               left(p.text, ${PREVIEW_CHARS}) AS prompt, p.split::text AS split, t.status::text AS "taskStatus", t.wanted
        ${FROM} ${w} ORDER BY s."createdAt" DESC, s.id DESC ${pageOf(s.query)}
      )
      SELECT page.id, page.prompt, page."promptId", page.split, page."sourceModel", r.number AS "sampledByRound", page."conversationId" IS NOT NULL AS "fromDialogue",
             page.gold, page."taskStatus", page.wanted, page."createdAt",
             (SELECT count(*)::int FROM "Completion" c WHERE c."setId" = page.id) AS k,
             (SELECT count(*)::int FROM "Judgement" j WHERE j."setId" = page.id) AS judgements
      FROM page LEFT JOIN "TrainingRound" r ON r.id = page."roundId"
      ORDER BY page."createdAt" DESC, page.id DESC`,
    prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n ${FROM} ${w}`,
  ]);
  return pageResult(s.query, rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })), count[0]?.n ?? 0);
}
