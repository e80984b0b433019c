// Use case: one completion set as the data browser shows it — its prompt (or dialogue so far),
// its completions, its ranking task, every judgement in full, the consensus and the gold order.
import { prisma } from '../../db';
import { copeland } from '../quality/consensus';
import { parseTiers, type Tiers } from '../quality/ranking';
import { dialogueTurns, itemNotFound, JUDGEMENT_SELECT, judgementView, TASK_SELECT, threadTo, usedIn, type JudgementView, type PromptRef, type TaskRef, type Turn, type UsedIn } from './item-common';

export type SetItem = {
  type: 'set';
  id: string;
  projectId: string;
  prompt: PromptRef;
  context: Turn[] | null;
  conversationId: string | null;
  sourceModel: string;
  sampledBy: { roundId: string; number: number } | null;
  createdAt: string;
  completions: { index: number; text: string }[];
  task: TaskRef | null;
  judgements: JudgementView[];
  consensus: Tiers | null;
  goldTiers: Tiers | null;
  usedIn: UsedIn;
};

export async function getSetItem(projectId: string, setId: string): Promise<SetItem> {
  const s = await prisma.completionSet.findFirst({
    where: { id: setId, projectId },
    select: {
      id: true,
      projectId: true,
      sourceModel: true,
      conversationId: true,
      contextMessageId: true,
      goldTiers: true,
      createdAt: true,
      round: { select: { id: true, number: true } },
      prompt: { select: { id: true, text: true, split: true } },
      completions: { orderBy: { index: 'asc' }, select: { index: true, text: true } },
      task: { select: TASK_SELECT },
      judgements: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: JUDGEMENT_SELECT },
    },
  });
  if (!s) throw itemNotFound('completion set', setId);
  const judgements = s.judgements.map(judgementView);
  const ranked = judgements.flatMap((j) => (j.tiers ? [j.tiers] : []));
  const context = s.conversationId && s.contextMessageId ? threadTo(await dialogueTurns(s.conversationId), s.contextMessageId) : null;
  return {
    type: 'set',
    id: s.id,
    projectId: s.projectId,
    prompt: s.prompt,
    context,
    conversationId: s.conversationId,
    sourceModel: s.sourceModel,
    sampledBy: s.round ? { roundId: s.round.id, number: s.round.number } : null,
    createdAt: s.createdAt.toISOString(),
    completions: s.completions,
    task: s.task,
    judgements,
    consensus: copeland(ranked, s.completions.map((c) => c.index))?.tiers ?? null,
    goldTiers: parseTiers(s.goldTiers, s.completions.length),
    usedIn: await usedIn(projectId, 'judgement', judgements.map((j) => j.id)),
  };
}
