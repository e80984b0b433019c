// Arena evaluations for admins and researchers: the list (newest first) with counts, and one
// evaluation's detail: its models (checkpoint names: never sent to labelers), prompts, battles,
// votes wanted and cast, the reply job's progress and the error if it failed.
import { prisma } from '../../db';
import { AppError } from '../errors';
import type { ArenaParams } from '../../shared/arena/start-input';

export type ArenaStatusName = 'GENERATING' | 'OPEN' | 'CLOSED' | 'FAILED';

export type EvaluationSummary = {
  id: string;
  projectId: string;
  projectName: string;
  name: string;
  status: ArenaStatusName;
  roundId: string | null;
  models: number;
  prompts: number;
  battles: number;
  votesPerBattle: number;
  votesWanted: number;
  votes: number;
  error: string | null;
  createdAt: string;
  openedAt: string | null;
  closedAt: string | null;
  /** While the replies are written: replies written / models × prompts. */
  progress: { step: number; totalSteps: number } | null;
};

export type EvaluationDetail = EvaluationSummary & {
  params: { maxNewTokens: number; temperature: number; topP: number; seed: number };
  modelList: { id: string; name: string; position: number; role: string | null; checkpointId: string | null }[];
  replies: number;
  job: { id: string; status: string; step: number; totalSteps: number; error: string | null } | null;
};

const select = {
  id: true, projectId: true, name: true, status: true, roundId: true, votesPerBattle: true, params: true, error: true, createdAt: true, openedAt: true, closedAt: true, jobId: true,
  project: { select: { name: true } },
  _count: { select: { models: true, battles: true, votes: true, replies: true } },
} as const;

type Row = {
  id: string; projectId: string; name: string; status: ArenaStatusName; roundId: string | null; votesPerBattle: number; params: unknown; error: string | null;
  createdAt: Date; openedAt: Date | null; closedAt: Date | null; jobId: string | null; project: { name: string };
  _count: { models: number; battles: number; votes: number; replies: number };
};

function summary(r: Row): EvaluationSummary {
  const params = r.params as Partial<ArenaParams>;
  return {
    id: r.id,
    projectId: r.projectId,
    projectName: r.project.name,
    name: r.name,
    status: r.status,
    roundId: r.roundId,
    models: r._count.models,
    prompts: params.prompts ?? 0,
    battles: r._count.battles,
    votesPerBattle: r.votesPerBattle,
    votesWanted: r._count.battles * r.votesPerBattle,
    votes: r._count.votes,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    openedAt: r.openedAt?.toISOString() ?? null,
    closedAt: r.closedAt?.toISOString() ?? null,
    progress: null,
  };
}

/** Reply-writing progress of the evaluations still generating, from their jobs. */
async function withProgress(rows: Row[]): Promise<EvaluationSummary[]> {
  const ids = rows.filter((r) => r.status === 'GENERATING' && r.jobId).map((r) => r.jobId!);
  const jobs = ids.length ? await prisma.trainingJob.findMany({ where: { id: { in: ids } }, select: { id: true, step: true, totalSteps: true } }) : [];
  const byId = new Map(jobs.map((j) => [j.id, { step: j.step, totalSteps: j.totalSteps }]));
  return rows.map((r) => ({ ...summary(r), progress: (r.jobId && byId.get(r.jobId)) || null }));
}

export async function listEvaluations(opts: { projectId?: string } = {}): Promise<EvaluationSummary[]> {
  const rows = await prisma.arenaEvaluation.findMany({ where: opts.projectId ? { projectId: opts.projectId } : {}, select, orderBy: { createdAt: 'desc' }, take: 200 });
  return withProgress(rows as Row[]);
}

export async function getEvaluation(id: string): Promise<EvaluationDetail> {
  const r = await prisma.arenaEvaluation.findUnique({ where: { id }, select: { ...select, models: { orderBy: { position: 'asc' }, select: { id: true, name: true, position: true, role: true, checkpointId: true } } } });
  if (!r) throw new AppError('NOT_FOUND', `No arena evaluation with id ${id}.`);
  const job = r.jobId ? await prisma.trainingJob.findUnique({ where: { id: r.jobId }, select: { id: true, status: true, step: true, totalSteps: true, error: true } }) : null;
  const p = r.params as Partial<ArenaParams>;
  return {
    ...summary(r as Row),
    progress: r.status === 'GENERATING' && job ? { step: job.step, totalSteps: job.totalSteps } : null,
    params: { maxNewTokens: p.maxNewTokens ?? 0, temperature: p.temperature ?? 0, topP: p.topP ?? 1, seed: p.seed ?? 0 },
    modelList: r.models,
    replies: r._count.replies,
    job,
  };
}
