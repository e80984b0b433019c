// Use case: one prompt with everything made from it: its tasks, completion sets,
// demonstrations and dialogues, and the snapshots and rounds that used it.
import { prisma } from '../../db';
import { itemNotFound, TASK_SELECT, usedIn, type TaskRef, type UsedIn } from './item-common';

export type PromptItem = {
  type: 'prompt';
  id: string;
  projectId: string;
  text: string;
  split: 'TRAIN' | 'VAL' | 'TEST';
  source: string;
  tags: string[];
  createdBy: string | null;
  createdAt: string;
  sampledAt: string | null;
  tasks: TaskRef[];
  sets: { id: string; sourceModel: string; k: number; judgements: number; gold: boolean; createdAt: string }[];
  demonstrations: { id: string; labeler: string; chars: number; createdAt: string }[];
  conversations: { id: string; labeler: string; submitted: boolean; turns: number; createdAt: string }[];
  usedIn: UsedIn;
};

// A prompt has a handful of each in practice; the cap keeps a pathological one bounded.
const MAX_RELATED = 200;

export async function getPromptItem(projectId: string, id: string): Promise<PromptItem> {
  const p = await prisma.prompt.findFirst({
    where: { id, projectId },
    select: {
      id: true,
      text: true,
      split: true,
      source: true,
      tags: true,
      createdAt: true,
      sampledAt: true,
      createdBy: { select: { name: true } },
      tasks: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: MAX_RELATED, select: TASK_SELECT },
      completionSets: {
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: MAX_RELATED,
        select: { id: true, sourceModel: true, goldTiers: true, createdAt: true, _count: { select: { completions: true, judgements: true } } },
      },
      demonstrations: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: MAX_RELATED, select: { id: true, text: true, createdAt: true, user: { select: { name: true } } } },
      conversations: {
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: MAX_RELATED,
        select: { id: true, submitted: true, createdAt: true, user: { select: { name: true } }, _count: { select: { messages: true } } },
      },
    },
  });
  if (!p) throw itemNotFound('prompt', id);
  return {
    type: 'prompt',
    id: p.id,
    projectId,
    text: p.text,
    split: p.split,
    source: p.source,
    tags: p.tags,
    createdBy: p.createdBy?.name ?? null,
    createdAt: p.createdAt.toISOString(),
    sampledAt: p.sampledAt?.toISOString() ?? null,
    tasks: p.tasks,
    sets: p.completionSets.map((s) => ({ id: s.id, sourceModel: s.sourceModel, k: s._count.completions, judgements: s._count.judgements, gold: s.goldTiers !== null, createdAt: s.createdAt.toISOString() })),
    demonstrations: p.demonstrations.map((d) => ({ id: d.id, labeler: d.user.name, chars: d.text.length, createdAt: d.createdAt.toISOString() })),
    conversations: p.conversations.map((c) => ({ id: c.id, labeler: c.user.name, submitted: c.submitted, turns: c._count.messages, createdAt: c.createdAt.toISOString() })),
    usedIn: await usedIn(projectId, 'prompt', [p.id]),
  };
}
