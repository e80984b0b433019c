// Use case: one page of what labelers made in a project — demonstrations, dialogues and ranking
// judgements together, newest first — with who made it, on which prompt, and a short preview.
import { Prisma, prisma } from '../../db';
import { parseTiers, type Tiers } from '../quality/ranking';
import { inSnapshot, pageOf, pageResult, PREVIEW_CHARS, splitIn, where, type Page, type Scope } from './scope';

export type SubmissionType = 'demonstration' | 'conversation' | 'judgement';

export type SubmissionRow = {
  type: SubmissionType;
  id: string;
  labeler: { id: string; name: string };
  promptId: string | null;
  prompt: string | null;
  submitted: boolean;
  /** The answer, the dialogue's last turn, or the judgement's comment. */
  preview: string;
  /** Judgements only. */
  tiers: Tiers | null;
  allBad: boolean;
  flagged: number;
  likert: number | null;
  /** Dialogues only. */
  turns: number | null;
  guidelineVersion: number;
  timeMs: number;
  createdAt: string;
};

type Base = { type: SubmissionType; id: string; userId: string; promptId: string | null; submitted: boolean; guidelineVersion: number; timeMs: number; createdAt: Date };

/** One SELECT of the union per submission type, each with the filters that apply to it. */
function branches(s: Scope): Prisma.Sql[] {
  const { query } = s;
  const wanted = (type: SubmissionType) => (!query.kind || query.kind === type) && (query.status !== 'in-progress' || type === 'conversation');
  // ownText: the submission's own text matched against the search (its answer, turns or comment).
  const common = (alias: string, itemType: SubmissionType, promptCol: Prisma.Sql, ownText: (like: string) => Prisma.Sql) => {
    const a = Prisma.raw(alias);
    const conds = [Prisma.sql`${a}."projectId" = ${s.projectId}`];
    if (s.like) conds.push(Prisma.sql`(${a}.id = ${query.q} OR p.text ILIKE ${s.like} OR ${ownText(s.like)})`);
    if (query.split) conds.push(splitIn(Prisma.sql`p.split`, query.split));
    if (query.labeler) conds.push(Prisma.sql`${a}."userId" = ${query.labeler}`);
    if (s.snapshotId !== undefined) conds.push(Prisma.sql`${a}.id IN ${inSnapshot(s.snapshotId, itemType)}`);
    return { conds, join: Prisma.sql`LEFT JOIN "Prompt" p ON p.id = ${promptCol}` };
  };
  const out: Prisma.Sql[] = [];
  if (wanted('demonstration')) {
    const { conds, join } = common('d', 'demonstration', Prisma.sql`d."promptId"`, (like) => Prisma.sql`d.text ILIKE ${like}`);
    out.push(Prisma.sql`SELECT 'demonstration' AS type, d.id, d."userId", d."promptId", true AS submitted, d."guidelineVersion", d."timeMs", d."createdAt"
      FROM "Demonstration" d ${join} ${where(conds)}`);
  }
  if (wanted('conversation')) {
    const { conds, join } = common('c', 'conversation', Prisma.sql`c."promptId"`, (like) => Prisma.sql`EXISTS (SELECT 1 FROM "Message" m WHERE m."conversationId" = c.id AND m.text ILIKE ${like})`);
    if (query.status) conds.push(query.status === 'submitted' ? Prisma.sql`c.submitted` : Prisma.sql`NOT c.submitted`);
    out.push(Prisma.sql`SELECT 'conversation' AS type, c.id, c."userId", c."promptId", c.submitted, c."guidelineVersion", c."timeMs", c."createdAt"
      FROM "Conversation" c ${join} ${where(conds)}`);
  }
  if (wanted('judgement')) {
    const { conds, join } = common('j', 'judgement', Prisma.sql`cs."promptId"`, (like) => Prisma.sql`j.comment ILIKE ${like}`);
    out.push(Prisma.sql`SELECT 'judgement' AS type, j.id, j."userId", cs."promptId", true AS submitted, j."guidelineVersion", j."timeMs", j."createdAt"
      FROM "Judgement" j JOIN "CompletionSet" cs ON cs.id = j."setId" ${join} ${where(conds)}`);
  }
  return out;
}

const clip = (text: string | null | undefined) => (text ? (text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text) : '');

export async function listSubmissions(s: Scope): Promise<Page<SubmissionRow>> {
  const parts = branches(s);
  if (parts.length === 0) return pageResult(s.query, [], 0);
  const union = Prisma.join(parts, ' UNION ALL ');
  const [rows, count] = await Promise.all([
    prisma.$queryRaw<Base[]>`SELECT * FROM (${union}) u ORDER BY u."createdAt" DESC, u.id DESC ${pageOf(s.query)}`,
    prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (${union}) u`,
  ]);
  const ids = (type: SubmissionType) => rows.filter((r) => r.type === type).map((r) => r.id);
  const [users, prompts, demos, convs, judgements] = await Promise.all([
    prisma.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.userId))] } }, select: { id: true, name: true } }),
    prisma.prompt.findMany({ where: { id: { in: [...new Set(rows.flatMap((r) => (r.promptId ? [r.promptId] : [])))] } }, select: { id: true, text: true } }),
    prisma.demonstration.findMany({ where: { id: { in: ids('demonstration') } }, select: { id: true, text: true } }),
    prisma.conversation.findMany({
      where: { id: { in: ids('conversation') } },
      select: { id: true, _count: { select: { messages: true } }, messages: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 1, select: { text: true } } },
    }),
    prisma.judgement.findMany({ where: { id: { in: ids('judgement') } }, select: { id: true, tiers: true, allBad: true, flags: true, likert: true, comment: true } }),
  ]);
  const name = new Map(users.map((u) => [u.id, u.name]));
  const promptText = new Map(prompts.map((p) => [p.id, p.text]));
  const demo = new Map(demos.map((d) => [d.id, d]));
  const conv = new Map(convs.map((c) => [c.id, c]));
  const judgement = new Map(judgements.map((j) => [j.id, j]));
  const items = rows.map((r): SubmissionRow => {
    const j = judgement.get(r.id);
    const c = conv.get(r.id);
    const flags = (j?.flags ?? {}) as Record<string, unknown[]>;
    return {
      type: r.type,
      id: r.id,
      labeler: { id: r.userId, name: name.get(r.userId) ?? 'unknown' },
      promptId: r.promptId,
      prompt: r.promptId ? clip(promptText.get(r.promptId)) : null,
      submitted: r.submitted,
      preview: clip(r.type === 'demonstration' ? demo.get(r.id)?.text : r.type === 'conversation' ? c?.messages[0]?.text : j?.comment),
      tiers: j ? parseTiers(j.tiers) : null,
      allBad: j?.allBad ?? false,
      flagged: Object.values(flags).filter((v) => Array.isArray(v) && v.length > 0).length,
      likert: j?.likert ?? null,
      turns: c ? c._count.messages : null,
      guidelineVersion: r.guidelineVersion,
      timeMs: r.timeMs,
      createdAt: r.createdAt.toISOString(),
    };
  });
  return pageResult(s.query, items, count[0]?.n ?? 0);
}
