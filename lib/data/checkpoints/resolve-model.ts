// The OpenAI `model` field → a policy: a project slug or id (its active policy), a checkpoint id
// or name (a POLICY), or nothing/"hone" when exactly one project has an active policy.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { quote } from '../../shared/text-safety';

export type ModelRef = { checkpointId: string; projectId: string | null; model: string };

export async function resolveModel(model: string | undefined | null): Promise<ModelRef> {
  const m = (model ?? '').trim();
  const actives = () =>
    prisma.checkpoint.findMany({ where: { kind: 'POLICY', active: true, status: 'READY' }, select: { id: true, projectId: true, project: { select: { slug: true } } }, take: 2 });
  if (!m || m === 'hone') {
    const a = await actives();
    if (a.length === 1) return { checkpointId: a[0].id, projectId: a[0].projectId, model: a[0].project?.slug ?? a[0].id };
    if (!a.length) throw new AppError('NOT_FOUND', 'No policy is active in any project yet: promote a trained policy checkpoint first.');
    throw new AppError('INVALID_INPUT', 'Several projects have an active policy: set "model" to a project slug (GET /v1/models lists them).');
  }
  const project = await prisma.project.findFirst({ where: { OR: [{ slug: m }, { id: m }] }, select: { id: true, slug: true } });
  if (project) {
    const a = await prisma.checkpoint.findFirst({ where: { projectId: project.id, kind: 'POLICY', active: true, status: 'READY' }, select: { id: true } });
    if (!a) throw new AppError('NOT_FOUND', `Project ${project.slug} has no active policy yet: promote a trained policy checkpoint first.`);
    return { checkpointId: a.id, projectId: project.id, model: project.slug };
  }
  const ck = await prisma.checkpoint.findFirst({ where: { OR: [{ id: m }, { name: m }], kind: 'POLICY' }, select: { id: true, projectId: true, name: true, status: true } });
  if (!ck) throw new AppError('NOT_FOUND', `The model "${quote(m)}" does not exist: use a project slug or a POLICY checkpoint id (GET /v1/models).`);
  if (ck.status !== 'READY') throw new AppError('CONFLICT', `Checkpoint ${ck.name} is ${ck.status.toLowerCase().replace('_', ' ')} and does not serve requests.`);
  return { checkpointId: ck.id, projectId: ck.projectId, model: ck.name };
}

/** GET /v1/models: each project's active policy (by slug) and every READY policy checkpoint. */
export async function listModels(): Promise<{ id: string; created: number; owned_by: string; checkpoint: string }[]> {
  const rows = await prisma.checkpoint.findMany({
    where: { kind: 'POLICY', status: 'READY' },
    orderBy: { createdAt: 'desc' },
    take: 200,
    select: { id: true, name: true, active: true, createdAt: true, project: { select: { slug: true } } },
  });
  const out: { id: string; created: number; owned_by: string; checkpoint: string }[] = [];
  for (const r of rows) {
    const created = Math.floor(r.createdAt.getTime() / 1000);
    if (r.active && r.project) out.push({ id: r.project.slug, created, owned_by: 'hone', checkpoint: r.id });
    out.push({ id: r.name, created, owned_by: 'hone', checkpoint: r.id });
  }
  return out;
}
