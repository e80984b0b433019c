// Asks the `sample` queue to have a policy (the project's active one unless named) write K
// completions for the project's queued prompts. Called on promotion and after a prompt import.
// The SAMPLE TrainingJob row is written first; its id is the BullMQ job id. Submitted dialogues
// still waiting for in-context comparisons (none was possible without a policy) are queued too.
import { prisma } from '../../db';
import { enqueueSample } from '../../queue/flows';
import { requestContextSampling, waitingConversationIds } from './request-context-sampling';

export type SamplingRequest = { queued: true; jobId: string; checkpointId: string } | { queued: false; reason: string };

export async function requestSampling(projectId: string, opts: { promptIds?: string[]; checkpointId?: string } = {}): Promise<SamplingRequest> {
  const ck = opts.checkpointId
    ? await prisma.checkpoint.findFirst({ where: { id: opts.checkpointId, projectId }, select: { id: true, roundId: true } })
    : await prisma.checkpoint.findFirst({ where: { projectId, kind: 'POLICY', active: true, status: 'READY' }, select: { id: true, roundId: true } });
  if (!ck) return { queued: false, reason: 'No policy is active for this project yet; completions are sampled once one is promoted.' };
  const job = await prisma.trainingJob.create({
    data: { stage: 'SAMPLE', roundId: null, config: { projectId, checkpointId: ck.id, promptIds: opts.promptIds ?? null } },
    select: { id: true },
  });
  try {
    await enqueueSample({ projectId, checkpointId: ck.id, promptIds: opts.promptIds, trainingJobId: job.id });
  } catch (e) {
    await prisma.trainingJob.update({ where: { id: job.id }, data: { status: 'FAILED', error: `Redis did not accept the sampling job: ${(e as Error).message}` } });
    return { queued: false, reason: `Could not queue sampling: ${(e as Error).message}` };
  }
  const waiting = await waitingConversationIds(projectId);
  if (waiting.length) await requestContextSampling(projectId, waiting);
  return { queued: true, jobId: job.id, checkpointId: ck.id };
}
