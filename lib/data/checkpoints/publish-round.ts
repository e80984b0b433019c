// Publishing: the SFT, RM and POLICY checkpoint rows of a round, with lineage (parent, snapshot
// hash, metrics), in ONE transaction — all of them or none, so there is never a half-published
// round. The folders were written atomically by their stages before this runs, and the worker
// has loaded each one back. A policy that failed evaluation is registered FAILED_EVAL (kept for
// inspection, never promotable). With project.autoPromote a passing policy becomes active here.
import { shapeOfKey } from '../../shared/model-shape';
import { prisma } from '../../db';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record-audit';

export type PublishEntry = { kind: 'SFT' | 'RM' | 'POLICY'; jobId: string | null; uri: string; step: number; metrics: Record<string, unknown> };
export type PublishResult = { checkpoints: { id: string; kind: string; name: string }[]; policyId: string; promoted: boolean; failedEval: boolean };

export async function publishRound(args: { roundId: string; publishJobId: string; entries: PublishEntry[]; evaluationPassed: boolean; evaluation: Record<string, unknown> | null }): Promise<PublishResult> {
  const round = await prisma.trainingRound.findUnique({
    where: { id: args.roundId },
    select: { id: true, number: true, projectId: true, preset: true, startCheckpointId: true, snapshotId: true, snapshot: { select: { sha256: true } }, createdById: true, project: { select: { autoPromote: true, slug: true } } },
  });
  if (!round) throw new AppError('NOT_FOUND', `No training round ${args.roundId}.`);
  const existing = await prisma.checkpoint.findMany({ where: { roundId: round.id, kind: { in: ['SFT', 'RM', 'POLICY'] } }, select: { id: true, kind: true, name: true, active: true, status: true } });
  if (existing.some((c) => c.kind === 'POLICY')) {
    // Published already (the job was retried after the commit): report what is there.
    const policy = existing.find((c) => c.kind === 'POLICY')!;
    return { checkpoints: existing, policyId: policy.id, promoted: policy.active, failedEval: policy.status === 'FAILED_EVAL' };
  }
  const promote = round.project.autoPromote && args.evaluationPassed;
  return prisma.$transaction(async (tx) => {
    const made: { id: string; kind: string; name: string }[] = [];
    let sftId: string | null = null;
    let policyId = '';
    for (const e of args.entries) {
      const parentId: string | null = e.kind === 'SFT' ? round.startCheckpointId : (sftId ?? round.startCheckpointId);
      const isPolicy = e.kind === 'POLICY';
      const name = `${round.project.slug}-r${round.number}-${e.kind.toLowerCase()}`;
      const row: { id: string; kind: string; name: string } = await tx.checkpoint.create({
        data: {
          projectId: round.projectId,
          kind: e.kind,
          name,
          preset: round.preset,
          modelConfig: shapeOfKey(round.preset) ?? undefined,
          status: isPolicy && !args.evaluationPassed ? 'FAILED_EVAL' : 'READY',
          parentId,
          roundId: round.id,
          jobId: e.jobId,
          snapshotId: round.snapshotId,
          snapshotSha: round.snapshot?.sha256 ?? null,
          uri: e.uri,
          step: e.step,
          metrics: (isPolicy && args.evaluation ? { ...e.metrics, evaluation: args.evaluation } : e.metrics) as object,
          active: isPolicy && promote,
          promotedAt: isPolicy && promote ? new Date() : null,
        },
        select: { id: true, kind: true, name: true },
      });
      if (e.kind === 'SFT') sftId = row.id;
      if (isPolicy) policyId = row.id;
      if (e.jobId) await tx.trainingJob.update({ where: { id: e.jobId }, data: { outputCheckpointId: row.id } });
      made.push(row);
    }
    if (promote) {
      await tx.checkpoint.updateMany({ where: { projectId: round.projectId, kind: 'POLICY', active: true, id: { not: policyId } }, data: { active: false } });
      await recordAudit(tx, { actorId: null, action: 'checkpoint.promote', projectId: round.projectId, targetType: 'Checkpoint', targetId: policyId, data: { auto: true, round: round.number, name: made.find((m) => m.id === policyId)?.name ?? null } });
    }
    await tx.trainingJob.update({ where: { id: args.publishJobId }, data: { outputCheckpointId: policyId } });
    return { checkpoints: made, policyId, promoted: promote, failedEval: !args.evaluationPassed };
  });
}

/** Registers a freshly pretrained BASE checkpoint and makes it the round's starting point. */
export async function registerBase(args: { roundId: string; jobId: string; uri: string; step: number; metrics: Record<string, unknown> }): Promise<string> {
  const round = await prisma.trainingRound.findUnique({ where: { id: args.roundId }, select: { id: true, number: true, projectId: true, preset: true, snapshotId: true, snapshot: { select: { sha256: true } }, project: { select: { slug: true } } } });
  if (!round) throw new AppError('NOT_FOUND', `No training round ${args.roundId}.`);
  const existing = await prisma.checkpoint.findFirst({ where: { roundId: round.id, kind: 'BASE' }, select: { id: true } });
  if (existing) return existing.id;
  return prisma.$transaction(async (tx) => {
    const row = await tx.checkpoint.create({
      data: {
        projectId: round.projectId, kind: 'BASE', name: `${round.project.slug}-r${round.number}-base`, preset: round.preset, modelConfig: shapeOfKey(round.preset) ?? undefined, roundId: round.id, jobId: args.jobId,
        snapshotId: round.snapshotId, snapshotSha: round.snapshot?.sha256 ?? null, uri: args.uri, step: args.step, metrics: args.metrics as object,
      },
      select: { id: true },
    });
    await tx.trainingRound.update({ where: { id: round.id }, data: { startCheckpointId: row.id } });
    await tx.trainingJob.update({ where: { id: args.jobId }, data: { outputCheckpointId: row.id } });
    return row.id;
  });
}
