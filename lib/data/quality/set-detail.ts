// Use case: one ranking set as researchers and gold markers see it — completions, every raw
// judgement, Kendall τ-b between each pair of labelers, the Copeland consensus, the gold order.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { copeland, type Consensus } from './consensus';
import { kendallTauB } from './kendall';
import { parseTiers, type Tiers } from './ranking';

export type SetDetail = {
  id: string;
  projectId: string;
  prompt: string;
  sourceModel: string;
  completions: { index: number; text: string }[];
  judgements: { id: string; userId: string; labeler: string; tiers: Tiers | null; allBad: boolean; likert: number | null; timeMs: number; createdAt: string }[];
  pairs: { a: string; b: string; tauB: number | null }[];
  consensus: Consensus | null;
  goldTiers: Tiers | null;
  goldAgreement: { judgementId: string; tauB: number | null }[];
};

export async function setDetail(setId: string): Promise<SetDetail> {
  const s = await prisma.completionSet.findUnique({
    where: { id: setId },
    select: {
      id: true,
      projectId: true,
      sourceModel: true,
      goldTiers: true,
      prompt: { select: { text: true } },
      completions: { select: { index: true, text: true }, orderBy: { index: 'asc' } },
      judgements: {
        select: { id: true, userId: true, tiers: true, allBad: true, likert: true, timeMs: true, createdAt: true, user: { select: { name: true } } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      },
    },
  });
  if (!s) throw new AppError('NOT_FOUND', `Ranking set "${setId}" does not exist.`);
  const judgements = s.judgements.map((j) => ({
    id: j.id,
    userId: j.userId,
    labeler: j.user.name,
    tiers: parseTiers(j.tiers),
    allBad: j.allBad,
    likert: j.likert,
    timeMs: j.timeMs,
    createdAt: j.createdAt.toISOString(),
  }));
  const ranked = judgements.filter((j): j is typeof j & { tiers: Tiers } => j.tiers !== null);
  const pairs: SetDetail['pairs'] = [];
  for (let x = 0; x < ranked.length; x++) {
    for (let y = x + 1; y < ranked.length; y++) pairs.push({ a: ranked[x].labeler, b: ranked[y].labeler, tauB: kendallTauB(ranked[x].tiers, ranked[y].tiers) });
  }
  const gold = parseTiers(s.goldTiers);
  return {
    id: s.id,
    projectId: s.projectId,
    prompt: s.prompt.text,
    sourceModel: s.sourceModel,
    completions: s.completions,
    judgements,
    pairs,
    consensus: copeland(ranked.map((j) => j.tiers), s.completions.map((c) => c.index)),
    goldTiers: gold,
    goldAgreement: gold ? ranked.map((j) => ({ judgementId: j.id, tauB: kendallTauB(j.tiers, gold) })) : [],
  };
}
