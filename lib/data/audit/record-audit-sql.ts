// recordAudit for code that runs its transaction on a raw node-postgres client (snapshots,
// exports): the same row, written by the same client, so it commits or rolls back with the change.
import { randomUUID } from 'node:crypto';
import type { AuditEntry } from './record-audit';

type SqlClient = { query(text: string, values: unknown[]): Promise<unknown> };

export async function recordAuditSql(client: SqlClient, entry: AuditEntry): Promise<void> {
  await client.query(
    `INSERT INTO "AuditLog" (id, "actorId", action, "projectId", "targetType", "targetId", data, ip, "createdAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())`,
    [randomUUID(), entry.actorId, entry.action, entry.projectId ?? null, entry.targetType ?? null, entry.targetId ?? null, JSON.stringify(entry.data ?? {}), entry.ip ?? null],
  );
}
