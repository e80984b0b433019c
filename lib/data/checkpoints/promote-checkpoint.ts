// Promotes a POLICY checkpoint: it becomes the project's one active policy (the model that
// samples completions and suggests turns). Refuses a checkpoint that failed evaluation, one of
// another project, or one that is not a policy. The caller then asks for sampling.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record-audit';

export type Promoted = { id: string; projectId: string; name: string; previousId: string | null };

export async function promoteCheckpoint(checkpointId: string, opts: { projectId?: string; actorId: string | null; auto?: boolean }): Promise<Promoted> {
  const ck = await prisma.checkpoint.findUnique({ where: { id: checkpointId }, select: { id: true, projectId: true, kind: true, status: true, name: true, active: true } });
  if (!ck) throw new AppError('NOT_FOUND', `No checkpoint ${checkpointId}.`);
  if (!ck.projectId || (opts.projectId && ck.projectId !== opts.projectId)) {
    throw new AppError('FORBIDDEN', `Checkpoint ${ck.name} belongs to another project; a project can only promote its own checkpoints.`);
  }
  if (ck.kind !== 'POLICY') throw new AppError('INVALID_INPUT', `Checkpoint ${ck.name} is ${ck.kind === 'RM' ? 'a reward model' : `a ${ck.kind} checkpoint`}; only POLICY checkpoints can be promoted.`);
  if (ck.status === 'FAILED_EVAL') throw new AppError('CONFLICT', `Checkpoint ${ck.name} failed its evaluation and cannot be promoted.`);
  if (ck.status === 'ARCHIVED') throw new AppError('CONFLICT', `Checkpoint ${ck.name} is archived and cannot be promoted.`);
  const projectId = ck.projectId;
  return prisma.$transaction(async (tx) => {
    const prev = await tx.checkpoint.findFirst({ where: { projectId, kind: 'POLICY', active: true }, select: { id: true } });
    await tx.checkpoint.updateMany({ where: { projectId, kind: 'POLICY', active: true, id: { not: ck.id } }, data: { active: false } });
    await tx.checkpoint.update({ where: { id: ck.id }, data: { active: true, promotedAt: new Date(), promotedById: opts.actorId } });
    await recordAudit(tx, { actorId: opts.actorId, action: 'checkpoint.promote', projectId, targetType: 'Checkpoint', targetId: ck.id, data: { name: ck.name, auto: !!opts.auto, previous: prev?.id ?? null } });
    return { id: ck.id, projectId, name: ck.name, previousId: prev && prev.id !== ck.id ? prev.id : null };
  });
}

/** Promotes, then asks the sample queue for the next round's completions from the new policy. */
export async function promoteAndSample(checkpointId: string, opts: { projectId?: string; actorId: string | null }): Promise<Promoted & { sampling: { queued: boolean; jobId?: string; reason?: string } }> {
  const { requestSampling } = await import('../sampling/request-sampling');
  const p = await promoteCheckpoint(checkpointId, opts);
  const s = await requestSampling(p.projectId, { checkpointId: p.id });
  return { ...p, sampling: s.queued ? { queued: true, jobId: s.jobId } : { queued: false, reason: s.reason } };
}
