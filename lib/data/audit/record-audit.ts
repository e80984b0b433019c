// One audit row for an admin or researcher action that changed something. Pass the transaction
// that makes the change (or a client), so the row is written with it or not at all. Not async:
// the returned PrismaPromise also works inside a batch `prisma.$transaction([...])`.
import type { Prisma, PrismaClient } from '../../db';

export type AuditClient = Prisma.TransactionClient | PrismaClient;

export interface AuditEntry {
  actorId: string | null;
  action: string; // "<family>.<verb>", e.g. "project.create", "round.launch"
  projectId?: string | null; // the project the action belongs to; the audit page filters on it
  targetType?: string | null;
  targetId?: string | null;
  data?: Prisma.InputJsonValue;
  ip?: string | null;
}

export function recordAudit(db: AuditClient, entry: AuditEntry) {
  return db.auditLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      projectId: entry.projectId ?? null,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      data: entry.data ?? {},
      ip: entry.ip ?? null,
    },
    select: { id: true },
  });
}
