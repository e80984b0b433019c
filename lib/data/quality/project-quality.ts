// Use case: the quality dashboard of one project — Krippendorff's α, τ-b distribution,
// lowest-agreement sets, per-labeler agreement (leave-one-out consensus, gold accuracy and
// τ-b) and biases, which labelers fall below the project's gold bar, and who is excluded.
import { Prisma, prisma } from '../../db';
import { AppError } from '../errors';
import { scanProjectQuality } from './scan';
import { listExclusions } from './labeler-exclusions';
import type { LabelerQuality, QualityReport } from './accumulate';

/** Fewer non-tied gold pairs than this say too little about a labeler to flag them. */
export const MIN_GOLD_PAIRS_TO_FLAG = 5;

export type ProjectLabelerQuality = LabelerQuality & {
  name: string;
  /** Gold accuracy below the project's goldMinAccuracy, over at least MIN_GOLD_PAIRS_TO_FLAG pairs. */
  flagged: boolean;
  /** Their judgements are left out of the next round snapshots. */
  excluded: boolean;
};

export type ProjectQuality = Omit<QualityReport, 'labelers'> & {
  project: { id: string; name: string; goldShare: number; goldMinAccuracy: number };
  goldSets: number;
  minGoldPairsToFlag: number;
  labelers: ProjectLabelerQuality[];
};

export async function projectQuality(projectId: string): Promise<ProjectQuality> {
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { id: true, name: true, goldShare: true, goldMinAccuracy: true } });
  if (!project) throw new AppError('NOT_FOUND', `Project "${projectId}" does not exist.`);
  const [report, exclusions, goldSets] = await Promise.all([
    scanProjectQuality(projectId),
    listExclusions(projectId),
    prisma.completionSet.count({ where: { projectId, goldTiers: { not: Prisma.DbNull } } }),
  ]);
  const excluded = new Set(exclusions.map((e) => e.userId));
  // an excluded labeler is listed even if they have no judgements any more, so the exclusion can be undone
  const rows: LabelerQuality[] = [...report.labelers];
  for (const userId of excluded) if (!rows.some((l) => l.userId === userId)) rows.push(emptyLabeler(userId));
  const users = await prisma.user.findMany({ where: { id: { in: rows.map((l) => l.userId) } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  return {
    ...report,
    project,
    goldSets,
    minGoldPairsToFlag: MIN_GOLD_PAIRS_TO_FLAG,
    labelers: rows.map((l) => ({
      ...l,
      name: names.get(l.userId) ?? l.userId,
      flagged: l.goldAccuracy !== null && l.goldPairs >= MIN_GOLD_PAIRS_TO_FLAG && l.goldAccuracy < project.goldMinAccuracy,
      excluded: excluded.has(l.userId),
    })),
  };
}

function emptyLabeler(userId: string): LabelerQuality {
  return {
    userId, judgements: 0, looAgreement: null, looSets: 0, goldAgreement: null, goldSets: 0, goldAccuracy: null, goldPairs: 0,
    firstShownWins: null, firstShownExpected: null, longerWins: null, lengthPairs: 0, meanTimeMs: null,
  };
}
