-- Audit rows name their project, so the audit page filters by project, actor or action cheaply.
ALTER TABLE "AuditLog" ADD COLUMN "projectId" TEXT;
CREATE INDEX "AuditLog_projectId_createdAt_idx" ON "AuditLog"("projectId", "createdAt");
CREATE INDEX "AuditLog_actorId_createdAt_idx" ON "AuditLog"("actorId", "createdAt");
CREATE INDEX "AuditLog_action_createdAt_idx" ON "AuditLog"("action", "createdAt");
