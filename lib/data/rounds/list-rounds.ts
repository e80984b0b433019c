// Rounds for the admin list: newest first, with each stage's status and progress.
import { prisma } from '../../db';

export type RoundSummary = {
  id: string;
  projectId: string;
  projectName: string;
  number: number;
  status: string;
  preset: string;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  stages: { stage: string; status: string; progress: number }[];
};

export async function listRounds(opts: { projectId?: string; take?: number } = {}): Promise<RoundSummary[]> {
  const rows = await prisma.trainingRound.findMany({
    where: opts.projectId ? { projectId: opts.projectId } : {},
    orderBy: { createdAt: 'desc' },
    take: Math.min(opts.take ?? 50, 200),
    select: {
      id: true, projectId: true, number: true, status: true, preset: true, error: true, createdAt: true, finishedAt: true,
      project: { select: { name: true } },
      jobs: { orderBy: { createdAt: 'asc' }, select: { stage: true, status: true, progress: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    projectId: r.projectId,
    projectName: r.project.name,
    number: r.number,
    status: r.status,
    preset: r.preset,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    stages: r.jobs,
  }));
}
