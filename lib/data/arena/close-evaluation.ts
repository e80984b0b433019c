// Closes an arena evaluation (ADMIN): its open ARENA tasks are cancelled, so no labeler is
// served them again and a vote still on screen is refused; the votes already cast stay, and so
// do the results. Closing one whose replies are still being written stops the job at its next
// batch. Closing a closed evaluation changes nothing.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record-audit';

export type ClosedEvaluation = { id: string; status: 'CLOSED'; closedAt: string; cancelledTasks: number };

export async function closeEvaluation(id: string, actorId: string | null, ip?: string | null): Promise<ClosedEvaluation> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; status: string; projectId: string; name: string; closedAt: Date | null }[]>`
      SELECT id, status::text AS status, "projectId", name, "closedAt" FROM "ArenaEvaluation" WHERE id = ${id} FOR UPDATE`;
    const ev = rows[0];
    if (!ev) throw new AppError('NOT_FOUND', `No arena evaluation with id ${id}.`);
    if (ev.status === 'CLOSED') return { id, status: 'CLOSED', closedAt: (ev.closedAt ?? new Date()).toISOString(), cancelledTasks: 0 };
    const closedAt = new Date();
    const cancelled = await tx.task.updateMany({ where: { kind: 'ARENA', status: 'OPEN', arenaBattle: { evaluationId: id } }, data: { status: 'CANCELLED' } });
    const votes = await tx.arenaVote.count({ where: { evaluationId: id } });
    await tx.arenaEvaluation.update({ where: { id }, data: { status: 'CLOSED', closedAt } });
    await recordAudit(tx, { actorId, action: 'arena.close', projectId: ev.projectId, targetType: 'ArenaEvaluation', targetId: id, data: { name: ev.name, was: ev.status, votes, cancelledTasks: cancelled.count }, ip: ip ?? null });
    return { id, status: 'CLOSED', closedAt: closedAt.toISOString(), cancelledTasks: cancelled.count };
  });
}
