// Asks the project's active policy for the next assistant turn after `parentId` (a user turn),
// through the `infer` queue, and stores the answer as a suggestion message (isSuggestion,
// authorCheckpointId). The labeler then accepts or edits it (add-message with editedFromId).
import { prisma } from '../../db';
import { AppError } from '../errors';
import { InferTimeoutError, requestCompletion } from '../../queue/infer';
import { suggestionPolicy } from '../suggestions/suggestion-gate';
import type { MessageDTO } from './get-conversation';
import { writableConversation } from './writable';

export async function requestSuggestion(conversationId: string, userId: string, parentId: string, opts: { timeoutMs?: number } = {}): Promise<MessageDTO> {
  const convo = await writableConversation(conversationId, userId);
  const policy = await suggestionPolicy(convo.projectId); // refuses when the project turned them off
  const all = await prisma.message.findMany({ where: { conversationId }, select: { id: true, parentId: true, role: true, text: true, isSuggestion: true } });
  const byId = new Map(all.map((m) => [m.id, m]));
  const parent = byId.get(parentId);
  if (!parent) throw new AppError('INVALID_INPUT', `Message ${parentId} is not part of this dialogue.`, { field: 'parentId' });
  if (parent.isSuggestion || parent.role !== 'USER') throw new AppError('INVALID_INPUT', 'Suggestions answer a user turn: pick a user turn to continue from.', { field: 'parentId' });
  const path: { role: 'user' | 'assistant'; content: string }[] = [];
  for (let m = parent as typeof parent | undefined; m; m = m.parentId ? byId.get(m.parentId) : undefined) {
    path.unshift({ role: m.role === 'USER' ? 'user' : 'assistant', content: m.text });
  }
  let result;
  try {
    result = await requestCompletion({ projectId: convo.projectId, checkpointId: policy.id, messages: path, maxTokens: 256, temperature: 0.8, topP: 0.95 }, { timeoutMs: opts.timeoutMs ?? 60_000 });
  } catch (e) {
    if (e instanceof InferTimeoutError) throw new AppError('UNAVAILABLE', `The model did not answer in time (${e.message}); is a worker serving the infer queue? Write the turn yourself or try again.`);
    throw new AppError('UNAVAILABLE', `The model could not make a suggestion: ${(e as Error).message}`);
  }
  const m = await prisma.message.create({
    data: { projectId: convo.projectId, conversationId, parentId, role: 'ASSISTANT', text: result.text, isSuggestion: true, authorCheckpointId: policy.id },
    select: { id: true, parentId: true, role: true, text: true, isSuggestion: true, editedFromId: true, createdAt: true },
  });
  return { ...m, fromModel: policy.name, createdAt: m.createdAt.toISOString() };
}
