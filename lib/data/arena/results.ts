// An arena evaluation's results for admins and researchers: the header (status, generation
// progress from its ARENA job, error), the Bradley–Terry leaderboard with bootstrap intervals, the
// pair table, vote progress and votes per labeler. Model names are shown here — this never reaches
// a labeler (the routes and page admit ADMIN and RESEARCHER only).
import { prisma } from '../../db';
import { AppError } from '../errors';
import { type BattleRecord, fitBradleyTerry } from '../../shared/arena/bradley-terry';
import { WINNER_TO_OUTCOME } from '../../shared/arena/chatbot-arena-format';
import { hash32 } from '../../shared/labeling';
import { judgeId } from './export-battles';
import { modelNames } from './model-names';

export type LeaderboardRow = {
  rank: number | null; // null: no votes yet
  modelId: string;
  name: string;
  role: string | null;
  checkpointId: string | null;
  rating: number | null;
  ci95: [number, number] | null;
  battles: number;
  wins: number;
  losses: number;
  ties: number;
  bothBad: number;
  winRate: number | null;
};
export type PairRow = { modelA: string; modelB: string; battles: number; winsA: number; winsB: number; ties: number; bothBad: number; winRateA: number };

export type ArenaResults = {
  evaluation: {
    id: string;
    name: string;
    status: 'GENERATING' | 'OPEN' | 'CLOSED' | 'FAILED';
    error: string | null;
    projectId: string;
    projectName: string;
    round: { id: string; number: number } | null;
    votesPerBattle: number;
    createdAt: string;
    openedAt: string | null;
    closedAt: string | null;
  };
  /** The ARENA job writing the replies; null before it exists. */
  generation: { status: string; progress: number; step: number; totalSteps: number; error: string | null } | null;
  prompts: number;
  battles: number;
  votes: { done: number; wanted: number };
  leaderboard: LeaderboardRow[];
  pairs: PairRow[];
  labelers: { judge: string; name: string; votes: number }[];
  /** Bootstrap rounds behind the intervals, and their seed (the evaluation id's hash: stable across reloads). */
  bootstrap: { rounds: number; seed: number };
};

const BOOTSTRAP_ROUNDS = 200;

export async function getArenaResults(evaluationId: string): Promise<ArenaResults> {
  const ev = await prisma.arenaEvaluation.findUnique({
    where: { id: evaluationId },
    select: {
      id: true, name: true, status: true, error: true, votesPerBattle: true, createdAt: true, openedAt: true, closedAt: true, jobId: true,
      project: { select: { id: true, name: true } },
      round: { select: { id: true, number: true } },
      models: { select: { id: true, name: true, position: true, role: true, checkpointId: true }, orderBy: { position: 'asc' } },
      _count: { select: { battles: true } },
    },
  });
  if (!ev) throw new AppError('NOT_FOUND', `No arena evaluation has the id "${evaluationId}".`);

  const [job, votes, promptRows] = await Promise.all([
    ev.jobId
      ? prisma.trainingJob.findUnique({ where: { id: ev.jobId }, select: { status: true, progress: true, step: true, totalSteps: true, error: true } })
      : null,
    prisma.arenaVote.findMany({
      where: { evaluationId },
      select: { winner: true, userId: true, battle: { select: { modelAId: true, modelBId: true } } },
    }),
    prisma.arenaBattle.groupBy({ by: ['promptId'], where: { evaluationId } }),
  ]);

  const names = modelNames(ev.models);
  const records: BattleRecord[] = votes.map((v) => ({ modelA: v.battle.modelAId, modelB: v.battle.modelBId, winner: WINNER_TO_OUTCOME[v.winner] }));
  const seed = hash32(ev.id);
  const fit = fitBradleyTerry(records, { bootstrap: BOOTSTRAP_ROUNDS, seed });

  const byId = new Map(ev.models.map((m) => [m.id, m]));
  const fitted: LeaderboardRow[] = fit.models.map((r) => {
    const m = byId.get(r.model)!;
    return {
      rank: r.rank, modelId: m.id, name: names.get(m.id)!, role: m.role, checkpointId: m.checkpointId,
      rating: r.rating, ci95: r.ci95, battles: r.battles, wins: r.wins, losses: r.losses, ties: r.ties, bothBad: r.bothBad, winRate: r.winRate,
    };
  });
  // Models nobody has voted on yet are listed last, unrated.
  const unrated: LeaderboardRow[] = ev.models
    .filter((m) => !fit.models.some((r) => r.model === m.id))
    .map((m) => ({ rank: null, modelId: m.id, name: names.get(m.id)!, role: m.role, checkpointId: m.checkpointId, rating: null, ci95: null, battles: 0, wins: 0, losses: 0, ties: 0, bothBad: 0, winRate: null }));

  const perUser = new Map<string, number>();
  for (const v of votes) perUser.set(v.userId, (perUser.get(v.userId) ?? 0) + 1);
  const users = await prisma.user.findMany({ where: { id: { in: [...perUser.keys()] } }, select: { id: true, name: true } });
  const userName = new Map(users.map((u) => [u.id, u.name]));

  return {
    evaluation: {
      id: ev.id, name: ev.name, status: ev.status, error: ev.error,
      projectId: ev.project.id, projectName: ev.project.name, round: ev.round,
      votesPerBattle: ev.votesPerBattle,
      createdAt: ev.createdAt.toISOString(), openedAt: ev.openedAt?.toISOString() ?? null, closedAt: ev.closedAt?.toISOString() ?? null,
    },
    generation: job ? { status: job.status, progress: job.progress, step: job.step, totalSteps: job.totalSteps, error: job.error } : null,
    prompts: promptRows.length,
    battles: ev._count.battles,
    votes: { done: votes.length, wanted: ev._count.battles * ev.votesPerBattle },
    leaderboard: [...fitted, ...unrated],
    pairs: fit.pairs.map((p) => ({ ...p, modelA: names.get(p.modelA)!, modelB: names.get(p.modelB)! })),
    labelers: [...perUser.entries()]
      .map(([id, n]) => ({ judge: judgeId(id), name: userName.get(id) ?? '(deleted user)', votes: n }))
      .sort((a, b) => b.votes - a.votes || a.name.localeCompare(b.name)),
    bootstrap: { rounds: BOOTSTRAP_ROUNDS, seed },
  };
}
