// Projects for the admin list and the labeler's project picker, with open-task counts.
import { prisma } from '../../db';

export type ProjectListItem = {
  id: string;
  slug: string;
  name: string;
  k: number;
  overlap: number;
  archived: boolean;
  prompts: number;
  openTasks: number;
  createdAt: string;
};

export async function listProjects(opts: { includeArchived?: boolean } = {}): Promise<ProjectListItem[]> {
  const projects = await prisma.project.findMany({
    where: opts.includeArchived ? {} : { archived: false },
    orderBy: { createdAt: 'desc' },
    select: { id: true, slug: true, name: true, k: true, overlap: true, archived: true, createdAt: true, _count: { select: { prompts: true } } },
  });
  const open = await prisma.task.groupBy({ by: ['projectId'], where: { status: 'OPEN' }, _count: { _all: true } });
  const openBy = new Map(open.map((o) => [o.projectId, o._count._all]));
  return projects.map(({ _count, createdAt, ...p }) => ({ ...p, prompts: _count.prompts, openTasks: openBy.get(p.id) ?? 0, createdAt: createdAt.toISOString() }));
}
