// Use case: the quality dashboard of one project — Krippendorff's α, τ-b distribution,
// lowest-agreement sets, per-labeler agreement (leave-one-out consensus, gold) and biases.
import { Prisma, prisma } from '../../db';
import { AppError } from '../errors';
import { scanProjectQuality } from './scan';
import type { LabelerQuality, QualityReport } from './accumulate';

export type ProjectQuality = Omit<QualityReport, 'labelers'> & {
  project: { id: string; name: string };
  goldSets: number;
  labelers: (LabelerQuality & { name: string })[];
};

export async function projectQuality(projectId: string): Promise<ProjectQuality> {
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { id: true, name: true } });
  if (!project) throw new AppError('NOT_FOUND', `Project "${projectId}" does not exist.`);
  const report = await scanProjectQuality(projectId);
  const users = await prisma.user.findMany({ where: { id: { in: report.labelers.map((l) => l.userId) } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  const goldSets = await prisma.completionSet.count({ where: { projectId, goldTiers: { not: Prisma.DbNull } } });
  return { ...report, project, goldSets, labelers: report.labelers.map((l) => ({ ...l, name: names.get(l.userId) ?? l.userId })) };
}
