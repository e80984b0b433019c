// Use case: the choices of the data browser's filters for one project — its rounds and the
// people who labeled in it — and the project's name. A missing project is a 404.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { assertStorableId } from './item-common';

export type BrowseFacets = {
  project: { id: string; name: string; archived: boolean };
  rounds: { id: string; number: number; status: string }[];
  labelers: { id: string; name: string }[];
};

export async function browseFacets(projectId: string): Promise<BrowseFacets> {
  assertStorableId('project', projectId);
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { id: true, name: true, archived: true } });
  if (!project) throw new AppError('NOT_FOUND', `There is no project with id "${projectId.slice(0, 40)}".`);
  const [rounds, labelers] = await Promise.all([
    prisma.trainingRound.findMany({ where: { projectId }, orderBy: { number: 'desc' }, select: { id: true, number: true, status: true } }),
    // Everyone who holds or held a task here: the labeler filter matches assignments too.
    prisma.user.findMany({ where: { assignments: { some: { task: { projectId } } } }, orderBy: [{ name: 'asc' }, { id: 'asc' }], select: { id: true, name: true } }),
  ]);
  return { project, rounds, labelers };
}
