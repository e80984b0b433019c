// Creates a project with its first guideline version (version 1, possibly empty).
import { prisma } from '../../db';
import { ProjectInput } from '../../shared/schemas';
import { slugify } from './slug';

export type ProjectSummary = { id: string; slug: string; name: string };

export async function createProject(input: ProjectInput, actorId: string | null): Promise<ProjectSummary> {
  const data = ProjectInput.parse(input);
  const base = slugify(data.name);
  for (let attempt = 0; attempt < 20; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${attempt + 1}`;
    const taken = await prisma.project.findUnique({ where: { slug }, select: { id: true } });
    if (taken) continue;
    try {
      const p = await prisma.project.create({
        data: {
          slug,
          name: data.name,
          description: data.description,
          k: data.k,
          overlap: data.overlap,
          mixDemonstration: data.mixDemonstration,
          mixDialogue: data.mixDialogue,
          mixRanking: data.mixRanking,
          leaseMinutes: data.leaseMinutes,
          autoPromote: data.autoPromote,
          contextRate: data.contextRate,
          suggestMode: data.suggestMode,
          editPairWeight: data.editPairWeight,
          goldShare: data.goldShare,
          goldMinAccuracy: data.goldMinAccuracy,
          likertMode: data.likertMode,
          samplingParams: data.samplingParams,
          createdById: actorId,
          guidelines: { create: { version: 1, body: data.guidelines, createdById: actorId } },
        },
        select: { id: true, slug: true, name: true },
      });
      return p;
    } catch (e) {
      if ((e as { code?: string }).code === 'P2002') continue; // slug taken meanwhile
      throw e;
    }
  }
  throw new Error('could not find a free slug');
}
