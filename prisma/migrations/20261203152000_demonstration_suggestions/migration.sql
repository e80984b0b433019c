-- Suggestions in the demonstration editor: each one shown is stored; the accepted one is copied
-- beside the answer, so (answer ≻ raw suggestion) can become an edit preference pair.
ALTER TABLE "Demonstration" ADD COLUMN "suggestionText" TEXT, ADD COLUMN "suggestionCheckpointId" TEXT;

CREATE TABLE "DemonstrationSuggestion" (
    "id" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "checkpointId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DemonstrationSuggestion_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "DemonstrationSuggestion_assignmentId_idx" ON "DemonstrationSuggestion"("assignmentId");
ALTER TABLE "DemonstrationSuggestion" ADD CONSTRAINT "DemonstrationSuggestion_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "Assignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
