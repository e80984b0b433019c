// Use case: what the research page needs for one project — its rounds and labelers (filter
// choices), its snapshots and the viewer's export jobs.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { listExportJobs, type Viewer } from './list-export-jobs';
import { listSnapshots } from '../snapshots/list-snapshots';

export async function researchOverview(projectId: string, viewer: Viewer) {
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { id: true, name: true, slug: true } });
  if (!project) throw new AppError('NOT_FOUND', `Project "${projectId}" does not exist.`);
  const [rounds, labelers, counts, snapshots, jobs] = await Promise.all([
    prisma.trainingRound.findMany({ where: { projectId }, orderBy: { number: 'asc' }, select: { id: true, number: true, status: true } }),
    prisma.user.findMany({
      where: { OR: [{ judgements: { some: { projectId } } }, { demonstrations: { some: { projectId } } }, { conversations: { some: { projectId, submitted: true } } }] },
      orderBy: { name: 'asc' },
      select: { id: true, name: true },
    }),
    Promise.all([
      prisma.judgement.count({ where: { projectId } }),
      prisma.demonstration.count({ where: { projectId } }),
      prisma.conversation.count({ where: { projectId, submitted: true } }),
      prisma.completionSet.count({ where: { projectId } }),
    ]),
    listSnapshots(projectId, 20),
    listExportJobs(viewer, 20),
  ]);
  return {
    project,
    rounds,
    labelers,
    counts: { judgements: counts[0], demonstrations: counts[1], conversations: counts[2], sets: counts[3] },
    snapshots,
    jobs: jobs.filter((j) => {
      const f = j.filter as { projectId?: string };
      return f.projectId === projectId || (j.snapshotId !== null && snapshots.some((s) => s.id === j.snapshotId));
    }),
  };
}

export type ResearchOverview = Awaited<ReturnType<typeof researchOverview>>;
