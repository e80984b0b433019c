-- Labelers whose ranking judgements a project's next round snapshots leave out (quality page, gold agreement).
CREATE TABLE "LabelerExclusion" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LabelerExclusion_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "LabelerExclusion_projectId_userId_key" ON "LabelerExclusion"("projectId", "userId");
ALTER TABLE "LabelerExclusion" ADD CONSTRAINT "LabelerExclusion_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "LabelerExclusion" ADD CONSTRAINT "LabelerExclusion_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Gold sets' tasks go to the end of the ordinary task order (lib/data/gold/set-gold.ts, GOLD_TASK_PRIORITY).
UPDATE "Task" SET priority = 1000000 WHERE "completionSetId" IN (SELECT id FROM "CompletionSet" WHERE "goldTiers" IS NOT NULL);
