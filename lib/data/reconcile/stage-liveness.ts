// Is a RUNNING stage really being run? Yes when its BullMQ job is active and a worker holds its
// lock. If Redis cannot say, the worker that claimed it must have beaten within the last 30 s.
import { prisma } from '../../db';
import { queueJobState, type QueueJobState } from '../../queue/job-state';
import { QUEUES, type QueueName } from '../../queue/names';
import { isTransientOutage } from '../outage';

const WORKER_ALIVE_MS = 30_000;

export const queueOfStage = (stage: string): QueueName => (stage === 'SAMPLE' ? QUEUES.sample : QUEUES.train);

export const isLive = (s: QueueJobState) => s.state === 'active' && s.locked;

export async function stageIsLive(job: { id: string; stage: string; workerId: string | null }): Promise<boolean> {
  try {
    return isLive(await queueJobState(queueOfStage(job.stage), job.id));
  } catch (e) {
    if (!isTransientOutage(e)) throw e;
    if (!job.workerId) return false;
    const beat = await prisma.workerHeartbeat.findUnique({ where: { id: job.workerId }, select: { lastSeenAt: true } });
    return !!beat && Date.now() - beat.lastSeenAt.getTime() < WORKER_ALIVE_MS;
  }
}
