// Asks the project's active policy for an answer to a demonstration task's prompt (the `infer`
// queue), and stores it as a DemonstrationSuggestion of the labeler's assignment. The labeler
// may accept it into the answer box; the submit then names it (suggestionId) and the raw text
// is kept beside the answer (submit-demonstration.ts).
import { prisma } from '../../db';
import { AppError } from '../errors';
import { InferTimeoutError, requestCompletion } from '../../queue/infer';
import { readHold } from '../tasks/gate';
import { suggestionPolicy } from './suggestion-gate';

export type DemoSuggestionDTO = { id: string; text: string; fromModel: string };

export async function suggestDemonstration(taskId: string, userId: string, opts: { timeoutMs?: number } = {}): Promise<DemoSuggestionDTO> {
  const hold = await readHold(taskId, userId);
  if (hold.kind !== 'DEMONSTRATION') throw new AppError('INVALID_INPUT', `Task ${taskId} is a ${hold.kind.toLowerCase()} task: suggestions here are for demonstrations.`);
  if (hold.status !== 'ACTIVE' || hold.expired) throw new AppError('CONFLICT', 'This task is no longer yours to write (submitted, skipped or expired): take the next task.');
  const policy = await suggestionPolicy(hold.projectId);
  const prompt = hold.promptId ? await prisma.prompt.findUnique({ where: { id: hold.promptId }, select: { text: true } }) : null;
  if (!prompt) throw new AppError('CONFLICT', 'This task has no prompt to answer.');
  let result;
  try {
    result = await requestCompletion(
      { projectId: hold.projectId, checkpointId: policy.id, messages: [{ role: 'user', content: prompt.text }], maxTokens: 256, temperature: 0.8, topP: 0.95 },
      { timeoutMs: opts.timeoutMs ?? 60_000 },
    );
  } catch (e) {
    if (e instanceof InferTimeoutError) throw new AppError('UNAVAILABLE', `The model did not answer in time (${e.message}); is a worker serving the infer queue? Write the answer yourself or try again.`);
    throw new AppError('UNAVAILABLE', `The model could not make a suggestion: ${(e as Error).message}`);
  }
  const row = await prisma.demonstrationSuggestion.create({ data: { assignmentId: hold.assignmentId, text: result.text, checkpointId: policy.id }, select: { id: true, text: true } });
  return { ...row, fromModel: policy.name };
}
