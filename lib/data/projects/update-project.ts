// Edits a project's settings. Changed guidelines become a new version; submissions keep the
// version they were made under.
import { z } from 'zod';
import { prisma } from '../../db';
import { AppError } from '../errors';
import { ProjectPatch } from '../../shared/schemas';
import { SamplingParamsSchema, type SamplingParams, type SamplingParamsPatch } from '../../shared/sampling';
import { samplingParams } from '../sampling/params';

// Sampling settings sent alone keep the stored others; the merged whole is validated again, so
// an error still names samplingParams.<field>.
const SamplingField = z.object({ samplingParams: SamplingParamsSchema });
function mergeSampling(stored: unknown, patch: SamplingParamsPatch): SamplingParams {
  return SamplingField.parse({ samplingParams: { ...samplingParams(stored), ...patch } }).samplingParams;
}

export async function updateProject(projectId: string, patch: ProjectPatch, actorId: string | null): Promise<{ id: string; guidelineVersion: number }> {
  const data = ProjectPatch.parse(patch);
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Project" WHERE id = ${projectId} FOR UPDATE`;
    if (rows.length === 0) throw new AppError('NOT_FOUND', `No project with id ${projectId}.`);
    const { guidelines, samplingParams: samplingPatch, ...rest } = data;
    let fields: Omit<ProjectPatch, 'guidelines'> = rest;
    if (samplingPatch) {
      const stored = await tx.project.findUniqueOrThrow({ where: { id: projectId }, select: { samplingParams: true } });
      fields = { ...rest, samplingParams: mergeSampling(stored.samplingParams, samplingPatch) };
    }
    if (fields.k !== undefined) {
      const other = await tx.completionSet.findFirst({ where: { projectId, completions: { some: { index: { gte: fields.k } } } }, select: { id: true } });
      const fewer = await tx.completionSet.findFirst({ where: { projectId, completions: { none: { index: fields.k - 1 } } }, select: { id: true } });
      if (other || fewer) throw new AppError('CONFLICT', `K cannot change to ${fields.k}: this project already has completion sets of another size.`, { field: 'k' });
    }
    if (Object.keys(fields).length) await tx.project.update({ where: { id: projectId }, data: fields });
    const current = await tx.guidelineVersion.findFirst({ where: { projectId }, orderBy: { version: 'desc' }, select: { version: true, body: true } });
    let version = current?.version ?? 0;
    if (guidelines !== undefined && guidelines !== current?.body) {
      version += 1;
      await tx.guidelineVersion.create({ data: { projectId, version, body: guidelines, createdById: actorId } });
    }
    return { id: projectId, guidelineVersion: version };
  });
}
