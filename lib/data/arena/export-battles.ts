// An arena evaluation's votes as Chatbot Arena battle lines (lib/shared/arena/chatbot-arena-format.ts),
// streamed page by page in vote order so a large evaluation never sits in memory whole. Labelers
// appear as an opaque judge id (a hash of their user id): stable across exports and evaluations, so a
// researcher can group by judge, but never an email or a name.
import { createHash } from 'node:crypto';
import { prisma } from '../../db';
import { AppError } from '../errors';
import { toChatbotArenaBattle } from '../../shared/arena/chatbot-arena-format';
import { modelNames } from './model-names';

const PAGE = 500;

export function judgeId(userId: string): string {
  return `hone-labeler-${createHash('sha256').update(`hone-arena-judge:${userId}`).digest('hex').slice(0, 8)}`;
}

/** hone-<project-slug>-arena-<first 8 of the evaluation id>.jsonl */
export function battleExportFileName(slug: string, evaluationId: string): string {
  const safe = slug.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'project';
  return `hone-${safe}-arena-${evaluationId.slice(0, 8)}.jsonl`;
}

export type BattleExport = { filename: string; votes: number; lines: AsyncGenerator<Buffer> };

/** Checks the evaluation exists (a 404 before any byte), then yields one JSON line per vote. */
export async function openBattleExport(evaluationId: string): Promise<BattleExport> {
  const ev = await prisma.arenaEvaluation.findUnique({
    where: { id: evaluationId },
    select: { id: true, project: { select: { slug: true } }, models: { select: { id: true, name: true, position: true } }, _count: { select: { votes: true } } },
  });
  if (!ev) throw new AppError('NOT_FOUND', `No arena evaluation has the id "${evaluationId}".`);
  const names = modelNames(ev.models);
  return { filename: battleExportFileName(ev.project.slug, ev.id), votes: ev._count.votes, lines: battleLines(ev.id, names) };
}

async function* battleLines(evaluationId: string, names: Map<string, string>): AsyncGenerator<Buffer> {
  let cursor: string | undefined;
  for (;;) {
    const page = await prisma.arenaVote.findMany({
      where: { evaluationId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: PAGE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: {
        id: true,
        userId: true,
        winner: true,
        createdAt: true,
        battle: { select: { promptId: true, modelAId: true, modelBId: true, prompt: { select: { text: true } }, replyA: { select: { text: true } }, replyB: { select: { text: true } } } },
      },
    });
    if (page.length === 0) return;
    const text = page
      .map((v) =>
        JSON.stringify(
          toChatbotArenaBattle({
            promptId: v.battle.promptId,
            prompt: v.battle.prompt.text,
            modelA: names.get(v.battle.modelAId) ?? v.battle.modelAId,
            modelB: names.get(v.battle.modelBId) ?? v.battle.modelBId,
            replyA: v.battle.replyA.text,
            replyB: v.battle.replyB.text,
            winner: v.winner,
            judge: judgeId(v.userId),
            createdAt: v.createdAt,
          }),
        ),
      )
      .join('\n');
    yield Buffer.from(`${text}\n`, 'utf8');
    if (page.length < PAGE) return;
    cursor = page[page.length - 1].id;
  }
}
