// The project's active POLICY checkpoint: the model that suggests assistant turns and samples
// completions. null when none is promoted yet.
import { prisma } from '../../db';

export type ActivePolicy = { id: string; name: string };

export async function activePolicy(projectId: string): Promise<ActivePolicy | null> {
  return prisma.checkpoint.findFirst({
    where: { projectId, kind: 'POLICY', active: true, status: 'READY' },
    orderBy: { promotedAt: 'desc' },
    select: { id: true, name: true },
  });
}

export const NO_POLICY_REASON = 'No model is active for this project yet: suggestions start once an admin promotes a trained policy checkpoint.';
