// Use case: one dialogue — every turn with its branches, model suggestions and edits — and the
// completion sets sampled to continue it.
import { prisma } from '../../db';
import { dialogueTurns, itemNotFound, TASK_SELECT, usedIn, type PromptRef, type TaskRef, type Turn, type UsedIn } from './item-common';

export type ConversationItem = {
  type: 'conversation';
  id: string;
  projectId: string;
  prompt: PromptRef | null;
  labeler: { id: string; name: string };
  submitted: boolean;
  timeMs: number;
  guidelineVersion: number;
  createdAt: string;
  updatedAt: string;
  turns: Turn[];
  task: TaskRef | null;
  sets: { id: string; contextMessageId: string | null; judgements: number; createdAt: string }[];
  usedIn: UsedIn;
};

export async function getConversationItem(projectId: string, id: string): Promise<ConversationItem> {
  const c = await prisma.conversation.findFirst({
    where: { id, projectId },
    select: {
      id: true,
      submitted: true,
      timeMs: true,
      guidelineVersion: true,
      createdAt: true,
      updatedAt: true,
      user: { select: { id: true, name: true } },
      prompt: { select: { id: true, text: true, split: true } },
      task: { select: TASK_SELECT },
      completionSets: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true, contextMessageId: true, createdAt: true, _count: { select: { judgements: true } } } },
    },
  });
  if (!c) throw itemNotFound('dialogue', id);
  return {
    type: 'conversation',
    id: c.id,
    projectId,
    prompt: c.prompt,
    labeler: c.user,
    submitted: c.submitted,
    timeMs: c.timeMs,
    guidelineVersion: c.guidelineVersion,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    turns: await dialogueTurns(c.id),
    task: c.task,
    sets: c.completionSets.map((s) => ({ id: s.id, contextMessageId: s.contextMessageId, judgements: s._count.judgements, createdAt: s.createdAt.toISOString() })),
    usedIn: await usedIn(projectId, 'conversation', [c.id]),
  };
}
