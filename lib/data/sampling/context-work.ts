// The sample worker's database side for in-context comparisons. contextTarget reads the
// dialogues, picks their model-written turns (pick-turns.ts, seeded by the job's recorded seed)
// and gives each pick's conversation so far; saveContextSets stores each set — the original
// model turn at index 0 and K − 1 alternatives from the policy (labelers see every set in their
// own shuffled order, so index 0 is never shown first on purpose) — with its RANKING task.
// The set records its dialogue (conversationId: never given to the author), the last message
// of its context (contextMessageId) and the turn it continues (continuesMessageId).
import { randomInt } from 'node:crypto';
import { prisma } from '../../db';
import { AppError } from '../errors';
import { newId } from '../../shared/ids';
import { textHash } from '../prompts/parse-prompt-file';
import { samplingParams, type SamplingParams } from './params';
import { contextBefore, modelWrittenTurns, pickTurns, type TreeTurn } from './pick-turns';

export type ContextPick = {
  conversationId: string;
  promptId: string;
  contextMessageId: string;
  continues: { id: string; text: string };
  context: { role: 'user' | 'assistant'; content: string }[];
};

export type ContextTarget = {
  projectId: string;
  k: number;
  pickSeed: number;
  params: SamplingParams;
  checkpoint: { id: string; name: string; roundId: string | null };
  picks: ContextPick[];
  conversationIds: string[];
};

/** The first user turn's prompt, created when a dialogue has none (imported or free dialogues). */
async function promptIdFor(projectId: string, convo: { promptId: string | null; userId: string }, turns: TreeTurn[]): Promise<string | null> {
  if (convo.promptId) return convo.promptId;
  const root = turns.find((t) => t.parentId === null && t.role === 'USER');
  if (!root) return null;
  const hash = textHash(root.text);
  const p = await prisma.prompt.upsert({
    where: { projectId_textHash: { projectId, textHash: hash } },
    create: { id: newId(), projectId, text: root.text, textHash: hash, source: 'IMPORT', createdById: convo.userId },
    update: {},
    select: { id: true },
  });
  return p.id;
}

export async function contextTarget(projectId: string, checkpointId: string, conversationIds: string[], pickSeed: number): Promise<ContextTarget> {
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { k: true, samplingParams: true, contextRate: true } });
  if (!project) throw new AppError('NOT_FOUND', `No project with id ${projectId}.`);
  const ck = await prisma.checkpoint.findUnique({ where: { id: checkpointId }, select: { id: true, name: true, roundId: true, projectId: true } });
  if (!ck || ck.projectId !== projectId) throw new AppError('NOT_FOUND', `No checkpoint ${checkpointId} in this project.`);
  const convos = await prisma.conversation.findMany({
    where: { id: { in: conversationIds }, projectId, submitted: true },
    orderBy: { id: 'asc' },
    select: {
      id: true, promptId: true, userId: true,
      messages: {
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: { id: true, parentId: true, role: true, text: true, isSuggestion: true, authorCheckpointId: true, authorModel: true, editedFrom: { select: { text: true } }, continuedBy: { select: { id: true } } },
      },
    },
  });
  const picks: ContextPick[] = [];
  for (const [i, c] of convos.entries()) {
    const turns: TreeTurn[] = c.messages.map((m) => ({ ...m, editedFromText: m.editedFrom?.text ?? null }));
    const done = new Set(c.messages.filter((m) => m.continuedBy.length).map((m) => m.id));
    // Each dialogue draws from its own stream of the recorded seed, so one dialogue's picks do not
    // depend on which others share the job.
    const chosen = pickTurns(modelWrittenTurns(turns), project.contextRate, (pickSeed + i * 7919) >>> 0).filter((t) => !done.has(t.id));
    if (!chosen.length) continue;
    const promptId = await promptIdFor(projectId, c, turns);
    if (!promptId) continue;
    for (const t of chosen) picks.push({ conversationId: c.id, promptId, contextMessageId: t.parentId!, continues: { id: t.id, text: t.text }, context: contextBefore(turns, t) });
  }
  return {
    projectId,
    k: project.k,
    pickSeed,
    params: samplingParams(project.samplingParams),
    checkpoint: { id: ck.id, name: ck.name, roundId: ck.roundId },
    picks,
    conversationIds: convos.map((c) => c.id),
  };
}

export type ContextSet = { pick: ContextPick; alternatives: { text: string; tokens: number; logprob: number | null }[]; seed: number };

/** Stores the sets, completions and RANKING tasks of some picks in one transaction. */
export async function saveContextSets(t: ContextTarget, sets: ContextSet[]): Promise<number> {
  if (!sets.length) return 0;
  const project = await prisma.project.findUnique({ where: { id: t.projectId }, select: { overlap: true } });
  const overlap = project?.overlap ?? 1;
  const fresh = sets.filter((s, i) => sets.findIndex((o) => o.pick.continues.id === s.pick.continues.id) === i);
  const rows = fresh.map((s) => ({ ...s, setId: newId() }));
  return prisma.$transaction(async (tx) => {
    // Another job may have sampled the same turn meanwhile (two queued before either ran): one set per turn.
    const taken = new Set((await tx.completionSet.findMany({ where: { continuesMessageId: { in: rows.map((r) => r.pick.continues.id) } }, select: { continuesMessageId: true } })).map((s) => s.continuesMessageId));
    const kept = rows.filter((r) => !taken.has(r.pick.continues.id));
    if (!kept.length) return 0;
    await tx.completionSet.createMany({
      data: kept.map((s) => ({
        id: s.setId,
        projectId: t.projectId,
        promptId: s.pick.promptId,
        conversationId: s.pick.conversationId,
        contextMessageId: s.pick.contextMessageId,
        continuesMessageId: s.pick.continues.id,
        checkpointId: t.checkpoint.id,
        roundId: t.checkpoint.roundId,
        sourceModel: t.checkpoint.name,
        samplingParams: { temperature: t.params.temperature, topP: t.params.topP, maxTokens: t.params.maxTokens, seed: s.seed, pickSeed: t.pickSeed, original: 0 },
        displaySeed: randomInt(0, 2 ** 31 - 1),
      })),
    });
    await tx.completion.createMany({
      data: kept.flatMap((s) => [
        { id: newId(), setId: s.setId, index: 0, text: s.pick.continues.text, tokens: null, logprob: null },
        ...s.alternatives.map((c, i) => ({ id: newId(), setId: s.setId, index: i + 1, text: c.text, tokens: c.tokens, logprob: c.logprob })),
      ]),
    });
    await tx.task.createMany({ data: kept.map((s) => ({ id: newId(), projectId: t.projectId, kind: 'RANKING' as const, completionSetId: s.setId, promptId: s.pick.promptId, wanted: overlap })) });
    return kept.length;
  });
}

/** Marks the dialogues as picked (also those that gave no set: nothing more is owed to them). */
export async function markContextSampled(conversationIds: string[]): Promise<void> {
  if (conversationIds.length) await prisma.conversation.updateMany({ where: { id: { in: conversationIds } }, data: { contextSampledAt: new Date() } });
}
