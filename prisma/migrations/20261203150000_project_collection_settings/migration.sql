-- How a project collects data: comparisons in context, suggestions, edit pairs, gold honeypots, Likert mode.
ALTER TABLE "Project" ADD COLUMN "contextRate" DOUBLE PRECISION NOT NULL DEFAULT 0.5;
ALTER TABLE "Project" ADD COLUMN "suggestMode" TEXT NOT NULL DEFAULT 'ON_KEY';
ALTER TABLE "Project" ADD COLUMN "editPairWeight" DOUBLE PRECISION NOT NULL DEFAULT 1;
ALTER TABLE "Project" ADD COLUMN "goldShare" DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE "Project" ADD COLUMN "goldMinAccuracy" DOUBLE PRECISION NOT NULL DEFAULT 0.75;
ALTER TABLE "Project" ADD COLUMN "likertMode" TEXT NOT NULL DEFAULT 'PER_RANKING';
