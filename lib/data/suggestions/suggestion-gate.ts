// Whether a project hands out model suggestions at all: its suggestMode setting (OFF refuses)
// and an active policy to write them. Returns the policy, or throws saying why not.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { activePolicy, NO_POLICY_REASON, type ActivePolicy } from '../checkpoints/active-policy';

export const SUGGESTIONS_OFF_REASON = 'Suggestions are turned off for this project: an admin can turn them on in the project settings.';

export async function suggestionPolicy(projectId: string): Promise<ActivePolicy> {
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { suggestMode: true } });
  if (project?.suggestMode === 'OFF') throw new AppError('CONFLICT', SUGGESTIONS_OFF_REASON);
  const policy = await activePolicy(projectId);
  if (!policy) throw new AppError('UNAVAILABLE', NO_POLICY_REASON);
  return policy;
}
