-- DPO rounds, and blind human evaluation of checkpoints (the arena).
ALTER TYPE "JobStage" ADD VALUE 'DPO' BEFORE 'EVALUATE';
ALTER TYPE "JobStage" ADD VALUE 'ARENA';
ALTER TYPE "TaskKind" ADD VALUE 'ARENA';

CREATE TYPE "ArenaStatus" AS ENUM ('GENERATING', 'OPEN', 'CLOSED', 'FAILED');
CREATE TYPE "ArenaWinner" AS ENUM ('MODEL_A', 'MODEL_B', 'TIE', 'BOTH_BAD');

CREATE TABLE "ArenaEvaluation" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "ArenaStatus" NOT NULL DEFAULT 'GENERATING',
    "roundId" TEXT,
    "votesPerBattle" INTEGER NOT NULL DEFAULT 1,
    "params" JSONB NOT NULL DEFAULT '{}',
    "jobId" TEXT,
    "error" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "openedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    CONSTRAINT "ArenaEvaluation_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ArenaModel" (
    "id" TEXT NOT NULL,
    "evaluationId" TEXT NOT NULL,
    "checkpointId" TEXT,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "role" TEXT,
    CONSTRAINT "ArenaModel_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ArenaReply" (
    "id" TEXT NOT NULL,
    "evaluationId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "promptId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "tokens" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ArenaReply_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ArenaBattle" (
    "id" TEXT NOT NULL,
    "evaluationId" TEXT NOT NULL,
    "promptId" TEXT NOT NULL,
    "modelAId" TEXT NOT NULL,
    "modelBId" TEXT NOT NULL,
    "replyAId" TEXT NOT NULL,
    "replyBId" TEXT NOT NULL,
    "displaySeed" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ArenaBattle_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ArenaVote" (
    "id" TEXT NOT NULL,
    "evaluationId" TEXT NOT NULL,
    "battleId" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "winner" "ArenaWinner" NOT NULL,
    "swapped" BOOLEAN NOT NULL,
    "timeMs" INTEGER NOT NULL,
    "guidelineVersion" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ArenaVote_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "Task" ADD COLUMN "arenaBattleId" TEXT;
CREATE UNIQUE INDEX "Task_arenaBattleId_key" ON "Task"("arenaBattleId");

CREATE INDEX "ArenaEvaluation_projectId_createdAt_idx" ON "ArenaEvaluation"("projectId", "createdAt");
CREATE INDEX "ArenaEvaluation_roundId_idx" ON "ArenaEvaluation"("roundId");
CREATE UNIQUE INDEX "ArenaModel_evaluationId_position_key" ON "ArenaModel"("evaluationId", "position");
CREATE UNIQUE INDEX "ArenaModel_evaluationId_checkpointId_key" ON "ArenaModel"("evaluationId", "checkpointId");
CREATE UNIQUE INDEX "ArenaReply_modelId_promptId_key" ON "ArenaReply"("modelId", "promptId");
CREATE UNIQUE INDEX "ArenaBattle_evaluationId_promptId_modelAId_modelBId_key" ON "ArenaBattle"("evaluationId", "promptId", "modelAId", "modelBId");
CREATE UNIQUE INDEX "ArenaVote_assignmentId_key" ON "ArenaVote"("assignmentId");
CREATE INDEX "ArenaVote_evaluationId_createdAt_idx" ON "ArenaVote"("evaluationId", "createdAt");
CREATE INDEX "ArenaVote_battleId_idx" ON "ArenaVote"("battleId");

ALTER TABLE "Task" ADD CONSTRAINT "Task_arenaBattleId_fkey" FOREIGN KEY ("arenaBattleId") REFERENCES "ArenaBattle"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ArenaEvaluation" ADD CONSTRAINT "ArenaEvaluation_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ArenaEvaluation" ADD CONSTRAINT "ArenaEvaluation_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "TrainingRound"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "ArenaEvaluation" ADD CONSTRAINT "ArenaEvaluation_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "ArenaModel" ADD CONSTRAINT "ArenaModel_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "ArenaEvaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ArenaModel" ADD CONSTRAINT "ArenaModel_checkpointId_fkey" FOREIGN KEY ("checkpointId") REFERENCES "Checkpoint"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "ArenaReply" ADD CONSTRAINT "ArenaReply_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "ArenaEvaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ArenaReply" ADD CONSTRAINT "ArenaReply_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "ArenaModel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ArenaReply" ADD CONSTRAINT "ArenaReply_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ArenaBattle" ADD CONSTRAINT "ArenaBattle_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "ArenaEvaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ArenaBattle" ADD CONSTRAINT "ArenaBattle_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ArenaBattle" ADD CONSTRAINT "ArenaBattle_modelAId_fkey" FOREIGN KEY ("modelAId") REFERENCES "ArenaModel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ArenaBattle" ADD CONSTRAINT "ArenaBattle_modelBId_fkey" FOREIGN KEY ("modelBId") REFERENCES "ArenaModel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ArenaBattle" ADD CONSTRAINT "ArenaBattle_replyAId_fkey" FOREIGN KEY ("replyAId") REFERENCES "ArenaReply"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ArenaBattle" ADD CONSTRAINT "ArenaBattle_replyBId_fkey" FOREIGN KEY ("replyBId") REFERENCES "ArenaReply"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ArenaVote" ADD CONSTRAINT "ArenaVote_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "ArenaEvaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ArenaVote" ADD CONSTRAINT "ArenaVote_battleId_fkey" FOREIGN KEY ("battleId") REFERENCES "ArenaBattle"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ArenaVote" ADD CONSTRAINT "ArenaVote_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "Assignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ArenaVote" ADD CONSTRAINT "ArenaVote_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
