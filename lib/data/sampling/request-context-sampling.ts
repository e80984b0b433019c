// Asks the `sample` queue for in-context comparisons: model-written turns of these dialogues,
// picked at the project's contextRate with a seed recorded on the SAMPLE TrainingJob row (and on
// each set), each get K − 1 alternatives from the active policy. Called when a dialogue is
// submitted, after a conversation import, and on promotion for the dialogues still waiting. No
// active policy: nothing is queued and the dialogues wait (the admin project page says so).
import { randomInt } from 'node:crypto';
import { prisma } from '../../db';
import { enqueueSample } from '../../queue/flows';
import type { SamplingRequest } from './request-sampling';

export const NO_POLICY_FOR_CONTEXT =
  'No policy is active for this project, so submitted dialogues get no in-context comparisons yet; they are sampled when a policy is promoted.';

export async function requestContextSampling(projectId: string, conversationIds: string[]): Promise<SamplingRequest> {
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { contextRate: true } });
  if (!project) return { queued: false, reason: `No project with id ${projectId}.` };
  if (project.contextRate <= 0) return { queued: false, reason: 'The project samples no turns in context (its in-context rate is 0).' };
  if (!conversationIds.length) return { queued: false, reason: 'No submitted dialogue is waiting for in-context comparisons.' };
  const ck = await prisma.checkpoint.findFirst({ where: { projectId, kind: 'POLICY', active: true, status: 'READY' }, select: { id: true } });
  if (!ck) return { queued: false, reason: NO_POLICY_FOR_CONTEXT };
  const pickSeed = randomInt(0, 2 ** 31 - 1);
  const job = await prisma.trainingJob.create({
    data: { stage: 'SAMPLE', roundId: null, config: { projectId, checkpointId: ck.id, conversationIds, pickSeed, contextRate: project.contextRate } },
    select: { id: true },
  });
  try {
    await enqueueSample({ projectId, checkpointId: ck.id, conversationIds, pickSeed, trainingJobId: job.id });
  } catch (e) {
    await prisma.trainingJob.update({ where: { id: job.id }, data: { status: 'FAILED', error: `Redis did not accept the sampling job: ${(e as Error).message}` } });
    return { queued: false, reason: `Could not queue sampling: ${(e as Error).message}` };
  }
  return { queued: true, jobId: job.id, checkpointId: ck.id };
}

/** Submitted dialogues of the project whose turns were never picked (waiting for a policy). */
export async function waitingConversationIds(projectId: string): Promise<string[]> {
  const rows = await prisma.conversation.findMany({ where: { projectId, submitted: true, contextSampledAt: null }, select: { id: true }, orderBy: { createdAt: 'asc' }, take: 1000 });
  return rows.map((r) => r.id);
}
