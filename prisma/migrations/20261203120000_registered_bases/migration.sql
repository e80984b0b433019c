-- Registered base models: a checkpoint's shape, and where a registered base's weights came from.
ALTER TABLE "Checkpoint" ADD COLUMN "modelConfig" JSONB,
ADD COLUMN "source" TEXT,
ADD COLUMN "weightsSha256" TEXT,
ADD COLUMN "sizeBytes" BIGINT;
