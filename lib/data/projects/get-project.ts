// One project with its settings, current guidelines, version history and task counts.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { samplingParams, type SamplingParams } from '../sampling/params';
import type { LikertMode, SuggestMode } from '../../shared/collection';

export type ProjectDetail = {
  id: string;
  slug: string;
  name: string;
  description: string;
  k: number;
  overlap: number;
  mixDemonstration: number;
  mixDialogue: number;
  mixRanking: number;
  leaseMinutes: number;
  autoPromote: boolean;
  samplingParams: SamplingParams; // stored settings with defaults filled in
  contextRate: number;
  suggestMode: SuggestMode;
  editPairWeight: number;
  goldShare: number;
  goldMinAccuracy: number;
  likertMode: LikertMode;
  archived: boolean;
  guidelines: string;
  guidelineVersion: number;
  versions: { version: number; createdAt: string; author: string | null }[];
  prompts: number;
  tasks: { kind: string; status: string; count: number }[];
};

export async function getProject(projectId: string): Promise<ProjectDetail> {
  const p = await prisma.project.findUnique({
    where: { id: projectId },
    select: {
      id: true, slug: true, name: true, description: true, k: true, overlap: true,
      mixDemonstration: true, mixDialogue: true, mixRanking: true, leaseMinutes: true, autoPromote: true, samplingParams: true, archived: true,
      contextRate: true, suggestMode: true, editPairWeight: true, goldShare: true, goldMinAccuracy: true, likertMode: true,
      guidelines: { orderBy: { version: 'desc' }, select: { version: true, body: true, createdAt: true, createdBy: { select: { name: true } } } },
      _count: { select: { prompts: true } },
    },
  });
  if (!p) throw new AppError('NOT_FOUND', `No project with id ${projectId}.`);
  const groups = await prisma.task.groupBy({ by: ['kind', 'status'], where: { projectId }, _count: { _all: true } });
  const { guidelines, _count, ...rest } = p;
  return {
    ...rest,
    samplingParams: samplingParams(rest.samplingParams),
    suggestMode: rest.suggestMode as SuggestMode,
    likertMode: rest.likertMode as LikertMode,
    guidelines: guidelines[0]?.body ?? '',
    guidelineVersion: guidelines[0]?.version ?? 0,
    versions: guidelines.map((g) => ({ version: g.version, createdAt: g.createdAt.toISOString(), author: g.createdBy?.name ?? null })),
    prompts: _count.prompts,
    tasks: groups.map((g) => ({ kind: g.kind, status: g.status, count: g._count._all })),
  };
}
