// Which reward model judges best-of-n sampling for a policy: the RM its own round published
// (trained on the same snapshot, from the same SFT), else the project's newest ready RM of the
// same preset (same tokenizer and shape). null: none, and the sample job samples plainly.
import { prisma } from '../../db';

export type BestOfRewardModel = { id: string; name: string; uri: string; source: 'same round' | 'newest of the preset' };

export async function bestOfRewardModel(policyCheckpointId: string): Promise<BestOfRewardModel | null> {
  const policy = await prisma.checkpoint.findUnique({ where: { id: policyCheckpointId }, select: { projectId: true, roundId: true, preset: true } });
  if (!policy?.projectId) return null;
  const select = { id: true, name: true, uri: true } as const;
  if (policy.roundId) {
    const own = await prisma.checkpoint.findFirst({ where: { projectId: policy.projectId, roundId: policy.roundId, kind: 'RM', status: 'READY' }, orderBy: { createdAt: 'desc' }, select });
    if (own) return { ...own, source: 'same round' };
  }
  const newest = await prisma.checkpoint.findFirst({ where: { projectId: policy.projectId, kind: 'RM', status: 'READY', preset: policy.preset }, orderBy: { createdAt: 'desc' }, select });
  return newest ? { ...newest, source: 'newest of the preset' } : null;
}

/** For the admin project page: the active policy and the RM its best-of-n sampling would use. */
export async function bestOfJudgeOfProject(projectId: string): Promise<{ policy: string | null; rm: BestOfRewardModel | null }> {
  const active = await prisma.checkpoint.findFirst({ where: { projectId, kind: 'POLICY', active: true, status: 'READY' }, orderBy: { promotedAt: 'desc' }, select: { id: true, name: true } });
  if (!active) return { policy: null, rm: null };
  return { policy: active.name, rm: await bestOfRewardModel(active.id) };
}
