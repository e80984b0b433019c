// Cancels a round: the running stage sees the request before its next step, writes its last
// checkpoint and stops (the worker marks it CANCELLED); stages that have not started are
// cancelled now and never run.
import { prisma } from '../../db';
import { AppError } from '../errors';

export async function cancelRound(roundId: string, actorId: string | null): Promise<{ id: string; status: string }> {
  const r = await prisma.trainingRound.findUnique({ where: { id: roundId }, select: { id: true, status: true, number: true } });
  if (!r) throw new AppError('NOT_FOUND', `No training round ${roundId}.`);
  if (r.status !== 'QUEUED' && r.status !== 'RUNNING') throw new AppError('CONFLICT', `Round ${r.number} has already finished (${r.status.toLowerCase()}).`);
  const now = new Date();
  await prisma.$transaction([
    prisma.trainingJob.updateMany({ where: { roundId, status: { in: ['QUEUED', 'RUNNING'] } }, data: { cancelRequested: true } }),
    prisma.trainingJob.updateMany({ where: { roundId, status: 'QUEUED' }, data: { status: 'CANCELLED', finishedAt: now } }),
    prisma.auditLog.create({ data: { actorId, action: 'round.cancel', targetType: 'TrainingRound', targetId: roundId, data: {} } }),
  ]);
  const running = await prisma.trainingJob.count({ where: { roundId, status: 'RUNNING' } });
  if (!running) {
    await prisma.trainingRound.updateMany({ where: { id: roundId, status: { in: ['QUEUED', 'RUNNING'] } }, data: { status: 'CANCELLED', finishedAt: now } });
    return { id: roundId, status: 'CANCELLED' };
  }
  return { id: roundId, status: 'CANCELLING' };
}
