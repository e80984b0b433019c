-- What a training stage did with its data: items used, skipped per reason, shortened (the round page shows it).
ALTER TABLE "TrainingJob" ADD COLUMN "dataReport" JSONB;
