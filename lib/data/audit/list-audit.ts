// The audit log, newest first, filtered by actor, action (or family) and project, one page at
// a time. Pages are keyed on (createdAt, id), so a page costs one index range scan however deep
// it is, and rows written meanwhile never shift a page. Unknown filters are refused in words.
import { z } from 'zod';
import { prisma, type Prisma } from '../../db';
import { AppError } from '../errors';
import { AUDIT_ACTIONS, AUDIT_FAMILIES, isAuditAction, isAuditFamily } from './actions';
import { describeAudit } from './describe';

export const AUDIT_PAGE_SIZE = 50;

export const AuditQuery = z.object({
  actor: z.string().trim().max(100).optional(),
  action: z.string().trim().max(100).optional(),
  projectId: z.string().trim().max(100).optional(),
  cursor: z.string().trim().max(200).optional(),
  limit: z.coerce.number({ error: 'limit must be a whole number from 1 to 200' }).int('limit must be a whole number from 1 to 200').min(1, 'limit must be a whole number from 1 to 200').max(200, 'limit must be a whole number from 1 to 200').optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export type AuditEntryDto = {
  id: string;
  createdAt: string;
  action: string;
  summary: string;
  actor: { id: string; name: string; email: string } | null;
  project: { id: string; name: string } | null;
  targetType: string | null;
  targetId: string | null;
  data: Record<string, unknown>;
  ip: string | null;
};

export type AuditPage = { entries: AuditEntryDto[]; nextCursor: string | null };

export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) {
    throw new AppError('INVALID_INPUT', 'This page link is not valid: start again from the newest entries (leave out cursor).', { field: 'cursor' });
  }
  return { createdAt, id };
}

// "" means no filter, so an empty select in a GET form filters nothing.
const given = (v: string | undefined) => (v ? v : undefined);

async function whereOf(q: AuditQuery): Promise<Prisma.AuditLogWhereInput> {
  const where: Prisma.AuditLogWhereInput = {};
  const actor = given(q.actor);
  if (actor) {
    // A user id, or an email for people typing the URL by hand.
    const user = await prisma.user.findUnique({ where: actor.includes('@') ? { email: actor.toLowerCase() } : { id: actor }, select: { id: true } });
    if (!user) throw new AppError('INVALID_INPUT', `There is no user ${actor.includes('@') ? 'with the email' : 'with id'} "${actor}" to filter by; pick a person from the list of users.`, { field: 'actor' });
    where.actorId = user.id;
  }
  const action = given(q.action);
  if (action) {
    if (isAuditAction(action)) where.action = action;
    else if (isAuditFamily(action)) where.action = { startsWith: `${action}.` };
    else {
      throw new AppError('INVALID_INPUT', `There is no audit action "${action}". Use one of ${Object.keys(AUDIT_FAMILIES).join(', ')} or an action such as ${Object.keys(AUDIT_ACTIONS).slice(0, 3).join(', ')}.`, { field: 'action' });
    }
  }
  const projectId = given(q.projectId);
  if (projectId) {
    const project = await prisma.project.findUnique({ where: { id: projectId }, select: { id: true } });
    if (!project) throw new AppError('INVALID_INPUT', `There is no project with id "${projectId}" to filter by; pick one from the list of projects.`, { field: 'projectId' });
    where.projectId = projectId;
  }
  const cursor = given(q.cursor);
  if (cursor) {
    const c = decodeCursor(cursor);
    where.OR = [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }];
  }
  return where;
}

export async function listAudit(raw: unknown): Promise<AuditPage> {
  const q = AuditQuery.parse(raw);
  const take = q.limit ?? AUDIT_PAGE_SIZE;
  const rows = await prisma.auditLog.findMany({
    where: await whereOf(q),
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: take + 1,
    select: { id: true, createdAt: true, action: true, projectId: true, targetType: true, targetId: true, data: true, ip: true, actor: { select: { id: true, name: true, email: true } } },
  });
  const page = rows.slice(0, take);
  const projectIds = [...new Set(page.map((r) => r.projectId).filter((id): id is string => !!id))];
  const projects = new Map((await prisma.project.findMany({ where: { id: { in: projectIds } }, select: { id: true, name: true } })).map((p) => [p.id, p]));
  const entries = page.map((r): AuditEntryDto => {
    const data = r.data && typeof r.data === 'object' && !Array.isArray(r.data) ? (r.data as Record<string, unknown>) : {};
    const project = r.projectId ? (projects.get(r.projectId) ?? null) : null;
    return {
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      action: r.action,
      summary: describeAudit({ action: r.action, actorName: r.actor?.name ?? null, projectName: project?.name ?? null, targetType: r.targetType, targetId: r.targetId, data }),
      actor: r.actor,
      project,
      targetType: r.targetType,
      targetId: r.targetId,
      data,
      ip: r.ip,
    };
  });
  const last = page.at(-1);
  return { entries, nextCursor: rows.length > take && last ? encodeCursor(last.createdAt, last.id) : null };
}
