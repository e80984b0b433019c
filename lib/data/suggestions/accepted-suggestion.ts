// The suggestion a demonstration submit names as accepted: it must be one shown on this
// assignment, so the raw text kept beside the answer is what the model wrote.
import { prisma } from '../../db';
import { AppError } from '../errors';

export async function acceptedSuggestion(assignmentId: string, suggestionId: string | undefined): Promise<{ text: string; checkpointId: string } | null> {
  if (!suggestionId) return null;
  const s = await prisma.demonstrationSuggestion.findFirst({ where: { id: suggestionId, assignmentId }, select: { text: true, checkpointId: true } });
  if (!s) throw new AppError('INVALID_INPUT', 'The suggestion you accepted was not made for this task: submit again without it, or ask for a new one.', { field: 'suggestionId' });
  return s;
}
