// What the editors need to know about suggestions in a project: its mode (off, on request, live)
// and whether a model can answer now, with the reason in words when not.
import { prisma } from '../../db';
import type { SuggestMode } from '../../shared/collection';
import { activePolicy, NO_POLICY_REASON } from '../checkpoints/active-policy';
import { SUGGESTIONS_OFF_REASON } from './suggestion-gate';

export type SuggestionState = { mode: SuggestMode; available: boolean; reason: string | null; model: string | null };

export async function suggestionState(projectId: string): Promise<SuggestionState> {
  const [project, policy] = await Promise.all([prisma.project.findUnique({ where: { id: projectId }, select: { suggestMode: true } }), activePolicy(projectId)]);
  const mode = (project?.suggestMode ?? 'ON_KEY') as SuggestMode;
  if (mode === 'OFF') return { mode, available: false, reason: SUGGESTIONS_OFF_REASON, model: null };
  if (!policy) return { mode, available: false, reason: NO_POLICY_REASON, model: null };
  return { mode, available: true, reason: null, model: policy.name };
}
