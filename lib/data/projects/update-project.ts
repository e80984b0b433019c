// Edits a project's settings. Changed guidelines become a new version; submissions keep the
// version they were made under.
import { z } from 'zod';
import { prisma } from '../../db';
import { AppError } from '../errors';
import { ProjectPatch } from '../../shared/schemas';
import { SamplingParamsSchema, type SamplingParams, type SamplingParamsPatch } from '../../shared/sampling';
import { samplingParams } from '../sampling/params';
import { recordAudit } from '../audit/record-audit';

// Sampling settings sent alone keep the stored others; the merged whole is validated again, so
// an error still names samplingParams.<field>.
const SamplingField = z.object({ samplingParams: SamplingParamsSchema });
function mergeSampling(stored: unknown, patch: SamplingParamsPatch): SamplingParams {
  return SamplingField.parse({ samplingParams: { ...samplingParams(stored), ...patch } }).samplingParams;
}

// The audit row keeps the new values, except the description's text (long; its length stands in).
function auditedFields(fields: Record<string, unknown>): Record<string, string | number | boolean | object> {
  const out: Record<string, string | number | boolean | object> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) out[k] = k === 'description' && typeof v === 'string' ? `${v.length} characters` : (v as object);
  return out;
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
    if (Object.keys(fields).length) await recordAudit(tx, { actorId, action: 'project.update', projectId, targetType: 'Project', targetId: projectId, data: auditedFields(fields) });
    const current = await tx.guidelineVersion.findFirst({ where: { projectId }, orderBy: { version: 'desc' }, select: { version: true, body: true } });
    let version = current?.version ?? 0;
    if (guidelines !== undefined && guidelines !== current?.body) {
      version += 1;
      await tx.guidelineVersion.create({ data: { projectId, version, body: guidelines, createdById: actorId } });
      await recordAudit(tx, { actorId, action: 'guidelines.update', projectId, targetType: 'Project', targetId: projectId, data: { version, chars: guidelines.length } });
    }
    return { id: projectId, guidelineVersion: version };
  });
}
