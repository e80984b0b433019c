// What every data-browser list starts from: the project (404 when it does not exist), the
// round filter resolved to the snapshot the round froze, and SQL pieces the lists share.
import { Prisma, prisma } from '../../db';
import { AppError } from '../errors';
import { SPLITS, type BrowseQuery } from './filters';
import { assertStorableId } from './item-common';

export type Scope = {
  projectId: string;
  query: BrowseQuery;
  /** The round's frozen snapshot when a round is asked for ('' when it froze none: nothing matches). */
  snapshotId?: string;
  /** `%text%` for ILIKE, wildcards in the text escaped. */
  like?: string;
};

export async function resolveScope(projectId: string, query: BrowseQuery): Promise<Scope> {
  assertStorableId('project', projectId);
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { id: true } });
  if (!project) throw new AppError('NOT_FOUND', `There is no project with id "${projectId.slice(0, 40)}".`);
  const scope: Scope = { projectId, query };
  if (query.round) {
    const round = await prisma.trainingRound.findFirst({ where: { id: query.round, projectId }, select: { snapshotId: true } });
    if (!round) throw new AppError('INVALID_INPUT', 'The round filter names no round of this project; pick one from the list.', { field: 'round' });
    scope.snapshotId = round.snapshotId ?? '';
  }
  if (query.labeler) {
    const user = await prisma.user.findUnique({ where: { id: query.labeler }, select: { id: true } });
    if (!user) throw new AppError('INVALID_INPUT', 'The labeler filter names no user; pick one from the list.', { field: 'labeler' });
  }
  if (query.q) scope.like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return scope;
}

/** `<column> IN (…)` for the split filter; the column holds a "Split". */
export function splitIn(column: Prisma.Sql, split: BrowseQuery['split']): Prisma.Sql {
  const values = SPLITS[split!].map((s) => Prisma.sql`${s}::"Split"`);
  return Prisma.sql`${column} IN (${Prisma.join(values)})`;
}

/** Ids of one item type listed in the round's snapshot. */
export function inSnapshot(snapshotId: string, itemType: string): Prisma.Sql {
  return Prisma.sql`(SELECT si."itemId" FROM "DatasetSnapshotItem" si WHERE si."snapshotId" = ${snapshotId} AND si."itemType" = ${itemType})`;
}

export const where = (conds: Prisma.Sql[]) => (conds.length ? Prisma.sql`WHERE ${Prisma.join(conds, ' AND ')}` : Prisma.empty);

/** LIMIT/OFFSET of the asked page. */
export function pageOf(query: BrowseQuery): Prisma.Sql {
  return Prisma.sql`LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`;
}

/** The shared shape of every list's answer. */
export type Page<T> = { items: T[]; total: number; page: number; pageSize: number; pages: number };

export function pageResult<T>(query: BrowseQuery, items: T[], total: number): Page<T> {
  return { items, total, page: query.page, pageSize: query.pageSize, pages: Math.max(1, Math.ceil(total / query.pageSize)) };
}

/** How long a list's text previews are. */
export const PREVIEW_CHARS = 240;
