// A project's guidelines (the current version, or a given one), for labelers.
import { prisma } from '../../db';
import { AppError } from '../errors';

export type Guidelines = { projectId: string; projectName: string; version: number; body: string };

export async function getGuidelines(projectId: string, version?: number): Promise<Guidelines> {
  const g = await prisma.guidelineVersion.findFirst({
    where: { projectId, ...(version !== undefined ? { version } : {}) },
    orderBy: { version: 'desc' },
    select: { version: true, body: true, project: { select: { name: true } } },
  });
  if (!g) throw new AppError('NOT_FOUND', version !== undefined ? `Project ${projectId} has no guidelines version ${version}.` : `No project with id ${projectId}.`);
  return { projectId, projectName: g.project.name, version: g.version, body: g.body };
}
