// What every submit shares: the idempotency rules and the expired-lease rule.
//   same Idempotency-Key again      → the first submit's result (duplicate: true), nothing written;
//   already submitted, another key  → CONFLICT;
//   skipped                         → CONFLICT;
//   lease expired                   → the submitted work is saved as the draft, then GONE.
import { prisma } from '../../db';
import { AppError } from '../errors';
import type { TaskKindName } from '../../shared/labeling';
import type { Hold } from '../tasks/gate';
import { NOW } from '../tasks/sql';

export type SubmitResult = { taskId: string; assignmentId: string; kind: TaskKindName; submissionId: string; duplicate: boolean };

async function submissionIdOf(hold: Hold): Promise<string> {
  const where = { assignmentId: hold.assignmentId };
  const row =
    hold.kind === 'RANKING'
      ? await prisma.judgement.findUnique({ where, select: { id: true } })
      : hold.kind === 'DEMONSTRATION'
        ? await prisma.demonstration.findUnique({ where, select: { id: true } })
        : hold.kind === 'ARENA'
          ? await prisma.arenaVote.findUnique({ where, select: { id: true } })
          : await prisma.conversation.findUnique({ where, select: { id: true } });
  return row?.id ?? hold.assignmentId;
}

/** Returns the earlier result for a repeated submit, throws for a refused one, or null to go on. */
export async function priorOutcome(hold: Hold, key: string | undefined, draft: Record<string, unknown>): Promise<SubmitResult | null> {
  if (hold.status === 'SUBMITTED') {
    if (key && hold.submissionKey === key) {
      return { taskId: hold.taskId, assignmentId: hold.assignmentId, kind: hold.kind, submissionId: await submissionIdOf(hold), duplicate: true };
    }
    throw new AppError('CONFLICT', 'You already submitted this task.', { submitted: true });
  }
  if (hold.status === 'SKIPPED') throw new AppError('CONFLICT', 'You skipped this task; it can no longer be submitted.');
  if (hold.status === 'EXPIRED' || hold.expired) await refuseExpired(hold, draft);
  return null;
}

export async function refuseExpired(hold: Hold, draft: Record<string, unknown>): Promise<never> {
  await prisma.$executeRaw`
    UPDATE "Assignment" SET draft = ${JSON.stringify(draft)}::jsonb, "draftUpdatedAt" = ${NOW}, "updatedAt" = ${NOW}
    WHERE id = ${hold.assignmentId} AND status IN ('ACTIVE', 'EXPIRED')`;
  const at = hold.expiresAt.toISOString().slice(0, 16).replace('T', ' ');
  throw new AppError('GONE', `Your lease on this task expired at ${at} UTC, so it was not submitted. Your work is saved as a draft: press "Resume" to take the task again if a slot is still free.`, {
    leaseExpired: true,
    expiresAt: hold.expiresAt.toISOString(),
    draftSaved: true,
  });
}

/** After a conditional write changed nothing: someone else's request got there first. */
export async function afterLostRace(hold: Hold, key: string | undefined, draft: Record<string, unknown>, reread: () => Promise<Hold>): Promise<SubmitResult> {
  const now = await reread();
  const prior = await priorOutcome(now, key, draft);
  if (prior) return prior;
  throw new AppError('CONFLICT', 'The task changed while you submitted; reload and try again.');
}

export function timeOnTask(hold: Hold, clientMs: number | undefined): number {
  if (clientMs !== undefined) return Math.min(clientMs, 2_000_000_000);
  return Math.max(0, Math.min(Date.now() - hold.leasedAt.getTime(), 2_000_000_000));
}
