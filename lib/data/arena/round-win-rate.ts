// The round page's human verdict: in the latest arena evaluation started for a round (one whose
// models carry the roles 'candidate' and 'previous'), how often people preferred the round's policy
// to the previous one — (wins + ties/2) / votes, both kinds of tie counted as ties — with a 95%
// Wilson interval. Also whether the round has a policy to evaluate at all (the page's button).
import { prisma } from '../../db';
import { pairWinRate, wilsonInterval, type BattleRecord } from '../../shared/arena/bradley-terry';
import { WINNER_TO_OUTCOME } from '../../shared/arena/chatbot-arena-format';

export type RoundHumanEvaluation = {
  /** The round published a POLICY checkpoint, so people can judge it against the previous one. */
  hasPolicy: boolean;
  evaluation: { id: string; name: string; status: 'GENERATING' | 'OPEN' | 'CLOSED' | 'FAILED'; candidate: string; previous: string } | null;
  /** null until the first vote between the candidate and the previous policy. */
  winRate: { rate: number; wins: number; losses: number; ties: number; votes: number; ci95: [number, number] } | null;
};

export async function roundHumanEvaluation(roundId: string): Promise<RoundHumanEvaluation> {
  const [policies, ev] = await Promise.all([
    prisma.checkpoint.count({ where: { roundId, kind: 'POLICY', status: { in: ['READY', 'FAILED_EVAL'] } } }),
    prisma.arenaEvaluation.findFirst({
      where: { roundId, AND: [{ models: { some: { role: 'candidate' } } }, { models: { some: { role: 'previous' } } }] },
      orderBy: { createdAt: 'desc' },
      select: { id: true, name: true, status: true, models: { where: { role: { in: ['candidate', 'previous'] } }, select: { id: true, name: true, role: true } } },
    }),
  ]);
  if (!ev) return { hasPolicy: policies > 0, evaluation: null, winRate: null };

  const candidate = ev.models.find((m) => m.role === 'candidate')!;
  const previous = ev.models.find((m) => m.role === 'previous')!;
  const votes = await prisma.arenaVote.findMany({
    where: {
      evaluationId: ev.id,
      battle: { OR: [{ modelAId: candidate.id, modelBId: previous.id }, { modelAId: previous.id, modelBId: candidate.id }] },
    },
    select: { winner: true, battle: { select: { modelAId: true, modelBId: true } } },
  });
  const records: BattleRecord[] = votes.map((v) => ({ modelA: v.battle.modelAId, modelB: v.battle.modelBId, winner: WINNER_TO_OUTCOME[v.winner] }));
  const r = pairWinRate(records, candidate.id, previous.id);
  return {
    hasPolicy: policies > 0,
    evaluation: { id: ev.id, name: ev.name, status: ev.status, candidate: candidate.name, previous: previous.name },
    winRate: r.n === 0 ? null : { rate: r.rate, wins: r.wins, losses: r.losses, ties: r.ties, votes: r.n, ci95: wilsonInterval(r.rate, r.n) },
  };
}
