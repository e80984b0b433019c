// Use case: one ranking judgement in full, beside the set it ranks (prompt and completions).
import { prisma } from '../../db';
import { parseTiers, type Tiers } from '../quality/ranking';
import { dialogueTurns, itemNotFound, JUDGEMENT_SELECT, judgementView, threadTo, usedIn, type JudgementView, type PromptRef, type Turn, type UsedIn } from './item-common';

export type JudgementItem = {
  type: 'judgement';
  id: string;
  projectId: string;
  judgement: JudgementView;
  prompt: PromptRef;
  context: Turn[] | null;
  completions: { index: number; text: string }[];
  goldTiers: Tiers | null;
  taskId: string;
  usedIn: UsedIn;
};

export async function getJudgementItem(projectId: string, judgementId: string): Promise<JudgementItem> {
  const j = await prisma.judgement.findFirst({
    where: { id: judgementId, projectId },
    select: {
      ...JUDGEMENT_SELECT,
      taskId: true,
      set: {
        select: {
          goldTiers: true,
          conversationId: true,
          contextMessageId: true,
          prompt: { select: { id: true, text: true, split: true } },
          completions: { orderBy: { index: 'asc' }, select: { index: true, text: true } },
        },
      },
    },
  });
  if (!j) throw itemNotFound('judgement', judgementId);
  const { set } = j;
  return {
    type: 'judgement',
    id: j.id,
    projectId,
    judgement: judgementView(j),
    prompt: set.prompt,
    context: set.conversationId && set.contextMessageId ? threadTo(await dialogueTurns(set.conversationId), set.contextMessageId) : null,
    completions: set.completions,
    goldTiers: parseTiers(set.goldTiers, set.completions.length),
    taskId: j.taskId,
    usedIn: await usedIn(projectId, 'judgement', [j.id]),
  };
}
