-- Likert per completion, and whether a submission was made on an outdated guideline version.
ALTER TABLE "Judgement" ADD COLUMN "likertPerCompletion" JSONB;
ALTER TABLE "Judgement" ADD COLUMN "guidelineOutdated" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Demonstration" ADD COLUMN "guidelineOutdated" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Conversation" ADD COLUMN "guidelineOutdated" BOOLEAN NOT NULL DEFAULT false;
