// A project's slug by id, for names people read (export files).
import { prisma } from '../../db';

/** The slug of a project, or null when there is none (a snapshot whose project was deleted). */
export async function projectSlug(projectId: string | null): Promise<string | null> {
  if (!projectId) return null;
  return (await prisma.project.findUnique({ where: { id: projectId }, select: { slug: true } }))?.slug ?? null;
}
