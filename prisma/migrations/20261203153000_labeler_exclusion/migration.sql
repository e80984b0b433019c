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
