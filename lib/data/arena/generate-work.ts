// The arena job's database side: what to generate (the evaluation's models and prompts, and the
// replies already stored, so a retried job writes only what is missing), storing replies, and
// opening the evaluation: every unordered pair of models on every prompt is a battle (model A
// = the lower position) with a random displaySeed, each served as one ARENA task wanted by
// votesPerBattle labelers. Every write is idempotent by the tables' unique keys.
import { randomInt } from 'node:crypto';
import { prisma } from '../../db';
import { AppError } from '../errors';
import { newId } from '../../shared/ids';
import type { ArenaParams } from '../../shared/arena/start-input';

export type ArenaTarget = {
  evaluationId: string;
  projectId: string;
  status: string;
  params: ArenaParams;
  models: { id: string; checkpointId: string | null; name: string; position: number }[];
  prompts: { id: string; text: string }[];
  /** "modelId:promptId" of the replies already stored. */
  done: Set<string>;
};

export async function arenaTarget(evaluationId: string): Promise<ArenaTarget> {
  const ev = await prisma.arenaEvaluation.findUnique({
    where: { id: evaluationId },
    select: { id: true, projectId: true, status: true, params: true, models: { orderBy: { position: 'asc' }, select: { id: true, checkpointId: true, name: true, position: true } } },
  });
  if (!ev) throw new AppError('NOT_FOUND', `No arena evaluation ${evaluationId}.`);
  const params = ev.params as ArenaParams;
  const found = await prisma.prompt.findMany({ where: { id: { in: params.promptIds ?? [] } }, select: { id: true, text: true } });
  const byId = new Map(found.map((p) => [p.id, p]));
  const prompts = (params.promptIds ?? []).map((id) => byId.get(id)).filter((p): p is { id: string; text: string } => !!p);
  const replies = await prisma.arenaReply.findMany({ where: { evaluationId }, select: { modelId: true, promptId: true } });
  return { evaluationId, projectId: ev.projectId, status: ev.status, params, models: ev.models, prompts, done: new Set(replies.map((r) => `${r.modelId}:${r.promptId}`)) };
}

/** Stores one model's replies; a reply already stored for (model, prompt) is kept as it was. */
export async function saveReplies(evaluationId: string, modelId: string, replies: { promptId: string; text: string; tokens: number }[]): Promise<number> {
  const r = await prisma.arenaReply.createMany({ data: replies.map((x) => ({ id: newId(), evaluationId, modelId, ...x })), skipDuplicates: true });
  return r.count;
}

/** Whether an admin closed the evaluation while its replies were written. */
export async function evaluationClosed(evaluationId: string): Promise<boolean> {
  const ev = await prisma.arenaEvaluation.findUnique({ where: { id: evaluationId }, select: { status: true } });
  return !ev || ev.status === 'CLOSED';
}

/**
 * Makes the battles and their tasks and opens the evaluation (unless it was closed meanwhile).
 * Identical replies from two models still make a battle: a tie is an answer too.
 */
export async function openBattles(evaluationId: string): Promise<{ battles: number; tasks: number; opened: boolean }> {
  return prisma.$transaction(
    async (tx) => {
      const ev = await tx.arenaEvaluation.findUniqueOrThrow({ where: { id: evaluationId }, select: { projectId: true, status: true, votesPerBattle: true } });
      const models = await tx.arenaModel.findMany({ where: { evaluationId }, orderBy: { position: 'asc' }, select: { id: true } });
      const replies = await tx.arenaReply.findMany({ where: { evaluationId }, select: { id: true, modelId: true, promptId: true } });
      const reply = new Map(replies.map((r) => [`${r.modelId}:${r.promptId}`, r.id]));
      const promptIds = [...new Set(replies.map((r) => r.promptId))];
      const battles = [];
      for (const promptId of promptIds) {
        for (let a = 0; a < models.length; a++) {
          for (let b = a + 1; b < models.length; b++) {
            const replyAId = reply.get(`${models[a].id}:${promptId}`);
            const replyBId = reply.get(`${models[b].id}:${promptId}`);
            if (!replyAId || !replyBId) continue;
            battles.push({ id: newId(), evaluationId, promptId, modelAId: models[a].id, modelBId: models[b].id, replyAId, replyBId, displaySeed: randomInt(0, 2 ** 31 - 1) });
          }
        }
      }
      await tx.arenaBattle.createMany({ data: battles, skipDuplicates: true });
      const open = ev.status === 'GENERATING' || ev.status === 'OPEN';
      const untasked = open ? await tx.arenaBattle.findMany({ where: { evaluationId, task: null }, select: { id: true, promptId: true }, orderBy: { createdAt: 'asc' } }) : [];
      const tasks = await tx.task.createMany({
        data: untasked.map((bt) => ({ id: newId(), projectId: ev.projectId, kind: 'ARENA' as const, promptId: bt.promptId, arenaBattleId: bt.id, wanted: ev.votesPerBattle })),
        skipDuplicates: true,
      });
      if (ev.status === 'GENERATING') await tx.arenaEvaluation.update({ where: { id: evaluationId }, data: { status: 'OPEN', openedAt: new Date(), error: null } });
      const total = await tx.arenaBattle.count({ where: { evaluationId } });
      return { battles: total, tasks: tasks.count, opened: open };
    },
    { timeout: 60_000 },
  );
}

/** The replies could not be written: the evaluation says why (the admin page shows it). */
export async function failEvaluation(evaluationId: string, error: string): Promise<void> {
  await prisma.arenaEvaluation.updateMany({ where: { id: evaluationId, status: 'GENERATING' }, data: { status: 'FAILED', error: error.slice(0, 2000) } });
}
