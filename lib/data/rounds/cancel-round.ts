// Cancels a round, whatever state its stages are in: stages that have not started are cancelled
// now and never run; a running stage with a live worker sees the request before its next step,
// writes its last checkpoint and stops (the worker marks it CANCELLED); a RUNNING stage that no
// live worker holds (its worker died, its job waits for a retry, or Redis lost it) is cancelled
// here at once, and the round with it.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { closeOpenJob, finishRound } from '../training/jobs';
import { stageIsLive } from '../reconcile/stage-liveness';
import { recordAudit } from '../audit/record-audit';

export async function cancelRound(roundId: string, actorId: string | null): Promise<{ id: string; status: string }> {
  const r = await prisma.trainingRound.findUnique({ where: { id: roundId }, select: { id: true, status: true, number: true, projectId: true } });
  if (!r) throw new AppError('NOT_FOUND', `No training round ${roundId}.`);
  if (r.status !== 'QUEUED' && r.status !== 'RUNNING') throw new AppError('CONFLICT', `Round ${r.number} has already finished (${r.status.toLowerCase()}).`);
  const now = new Date();
  await prisma.$transaction([
    prisma.trainingJob.updateMany({ where: { roundId, status: { in: ['QUEUED', 'RUNNING'] } }, data: { cancelRequested: true } }),
    prisma.trainingJob.updateMany({ where: { roundId, status: 'QUEUED' }, data: { status: 'CANCELLED', finishedAt: now } }),
    recordAudit(prisma, { actorId, action: 'round.cancel', projectId: r.projectId, targetType: 'TrainingRound', targetId: roundId, data: { number: r.number } }),
  ]);
  const running = await prisma.trainingJob.findMany({ where: { roundId, status: 'RUNNING' }, select: { id: true, stage: true, workerId: true } });
  let live = 0;
  for (const job of running) {
    if (await stageIsLive(job)) live++;
    else await closeOpenJob(job.id, 'CANCELLED', `Cancelled; no worker was running ${job.stage} at the time, so it stopped at once.`);
  }
  if (live) return { id: roundId, status: 'CANCELLING' };
  await finishRound(roundId, 'CANCELLED', null);
  return { id: roundId, status: 'CANCELLED' };
}
