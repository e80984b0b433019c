// For the admin project page: how many ranking sets were made inside conversations, how many
// submitted dialogues still wait for their turns to be picked, and why they wait.
import { prisma } from '../../db';
import { NO_POLICY_FOR_CONTEXT } from './request-context-sampling';

export type ContextOverview = { sets: number; dialogues: number; waiting: number; contextRate: number; reason: string | null };

export async function contextOverview(projectId: string): Promise<ContextOverview> {
  const [sets, dialogues, waiting, project, policy] = await Promise.all([
    prisma.completionSet.count({ where: { projectId, continuesMessageId: { not: null } } }),
    prisma.completionSet.groupBy({ by: ['conversationId'], where: { projectId, continuesMessageId: { not: null } } }).then((g) => g.length),
    prisma.conversation.count({ where: { projectId, submitted: true, contextSampledAt: null } }),
    prisma.project.findUnique({ where: { id: projectId }, select: { contextRate: true } }),
    prisma.checkpoint.findFirst({ where: { projectId, kind: 'POLICY', active: true, status: 'READY' }, select: { id: true } }),
  ]);
  const contextRate = project?.contextRate ?? 0;
  const reason = contextRate <= 0 ? 'The in-context rate is 0: submitted dialogues get no comparisons.' : !policy ? NO_POLICY_FOR_CONTEXT : null;
  return { sets, dialogues, waiting, contextRate, reason };
}
