// Use case: an admin leaves one labeler's ranking judgements out of a project's next round
// snapshots (and the pre-flight counts), or takes that back. Snapshots already frozen keep
// what they froze; the labeler keeps labeling, and their judgements stay in the database.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record-audit';

export type LabelerExclusionItem = { userId: string; createdAt: string; createdById: string | null };

async function check(projectId: string, userId: string): Promise<{ email: string }> {
  const [project, user] = await Promise.all([
    prisma.project.findUnique({ where: { id: projectId }, select: { id: true } }),
    prisma.user.findUnique({ where: { id: userId }, select: { id: true, email: true } }),
  ]);
  if (!project) throw new AppError('NOT_FOUND', `Project "${projectId}" does not exist.`, { field: 'projectId' });
  if (!user) throw new AppError('NOT_FOUND', `No labeler with id "${userId}".`, { field: 'userId' });
  return user;
}

/** Excludes the labeler; doing it twice is harmless (the first time is kept, and audited). */
export async function excludeLabeler(input: { projectId: string; userId: string; actorId: string }): Promise<LabelerExclusionItem> {
  const labeler = await check(input.projectId, input.userId);
  const row = await prisma.$transaction(async (tx) => {
    const made = await tx.labelerExclusion.createMany({ data: [{ projectId: input.projectId, userId: input.userId, createdById: input.actorId }], skipDuplicates: true });
    if (made.count) await recordAudit(tx, { actorId: input.actorId, action: 'labeler.exclude', projectId: input.projectId, targetType: 'User', targetId: input.userId, data: { email: labeler.email } });
    return tx.labelerExclusion.findUniqueOrThrow({ where: { projectId_userId: { projectId: input.projectId, userId: input.userId } } });
  });
  return { userId: row.userId, createdAt: row.createdAt.toISOString(), createdById: row.createdById };
}

/** Undoes an exclusion: the labeler's judgements are in the next snapshot again. */
export async function includeLabeler(input: { projectId: string; userId: string; actorId: string | null }): Promise<{ userId: string; excluded: false }> {
  const labeler = await check(input.projectId, input.userId);
  await prisma.$transaction(async (tx) => {
    const gone = await tx.labelerExclusion.deleteMany({ where: { projectId: input.projectId, userId: input.userId } });
    if (gone.count) await recordAudit(tx, { actorId: input.actorId, action: 'labeler.include', projectId: input.projectId, targetType: 'User', targetId: input.userId, data: { email: labeler.email } });
  });
  return { userId: input.userId, excluded: false };
}

export async function listExclusions(projectId: string): Promise<LabelerExclusionItem[]> {
  const rows = await prisma.labelerExclusion.findMany({ where: { projectId }, orderBy: { createdAt: 'asc' } });
  return rows.map((r) => ({ userId: r.userId, createdAt: r.createdAt.toISOString(), createdById: r.createdById }));
}
