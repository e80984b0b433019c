// Use case: one demonstration — the prompt and the answer a labeler wrote — with its task.
import { prisma } from '../../db';
import { itemNotFound, TASK_SELECT, usedIn, type PromptRef, type TaskRef, type UsedIn } from './item-common';

export type DemonstrationItem = {
  type: 'demonstration';
  id: string;
  projectId: string;
  prompt: PromptRef;
  text: string;
  labeler: { id: string; name: string };
  timeMs: number;
  guidelineVersion: number;
  createdAt: string;
  task: TaskRef;
  usedIn: UsedIn;
};

export async function getDemonstrationItem(projectId: string, id: string): Promise<DemonstrationItem> {
  const d = await prisma.demonstration.findFirst({
    where: { id, projectId },
    select: {
      id: true,
      text: true,
      timeMs: true,
      guidelineVersion: true,
      createdAt: true,
      user: { select: { id: true, name: true } },
      prompt: { select: { id: true, text: true, split: true } },
      task: { select: TASK_SELECT },
    },
  });
  if (!d) throw itemNotFound('demonstration', id);
  return {
    type: 'demonstration',
    id: d.id,
    projectId,
    prompt: d.prompt,
    text: d.text,
    labeler: d.user,
    timeMs: d.timeMs,
    guidelineVersion: d.guidelineVersion,
    createdAt: d.createdAt.toISOString(),
    task: d.task,
    usedIn: await usedIn(projectId, 'demonstration', [d.id]),
  };
}
