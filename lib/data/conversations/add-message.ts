// Adds a turn to a labeler's dialogue. parentId picks the place in the tree: a parent that
// already has children makes a new branch. Roles alternate (a user turn answers an assistant
// turn and vice versa). editedFromId marks the labeler's edit of a model suggestion (same
// parent); the raw suggestion stays as it was.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { MessageInput } from '../../shared/schemas';
import type { MessageDTO } from './get-conversation';
import { writableConversation } from './writable';

export async function addMessage(conversationId: string, userId: string, input: MessageInput): Promise<MessageDTO> {
  const body = MessageInput.parse(input);
  const convo = await writableConversation(conversationId, userId);
  if (body.parentId === null) {
    const roots = await prisma.message.count({ where: { conversationId, parentId: null } });
    if (roots > 0 && body.role !== 'USER') throw new AppError('INVALID_INPUT', 'A dialogue starts with a user turn.', { field: 'role' });
  } else {
    const parent = await prisma.message.findUnique({ where: { id: body.parentId }, select: { conversationId: true, role: true, isSuggestion: true } });
    if (!parent || parent.conversationId !== conversationId) throw new AppError('INVALID_INPUT', `Message ${body.parentId} is not part of this dialogue.`, { field: 'parentId' });
    if (parent.isSuggestion) throw new AppError('INVALID_INPUT', 'Continue from your own turn, not from a raw suggestion.', { field: 'parentId' });
    if (parent.role === body.role) throw new AppError('INVALID_INPUT', `A ${body.role.toLowerCase()} turn cannot follow another ${body.role.toLowerCase()} turn; the sides alternate.`, { field: 'role' });
  }
  if (body.editedFromId) {
    const s = await prisma.message.findUnique({ where: { id: body.editedFromId }, select: { conversationId: true, parentId: true, isSuggestion: true } });
    if (!s || s.conversationId !== conversationId || !s.isSuggestion) throw new AppError('INVALID_INPUT', `Message ${body.editedFromId} is not a suggestion in this dialogue.`, { field: 'editedFromId' });
    if (s.parentId !== body.parentId) throw new AppError('INVALID_INPUT', 'An edited suggestion must answer the same turn as the suggestion.', { field: 'parentId' });
  }
  const m = await prisma.message.create({
    data: { projectId: convo.projectId, conversationId, parentId: body.parentId, role: body.role, text: body.text, authorUserId: userId, editedFromId: body.editedFromId ?? null },
    select: { id: true, parentId: true, role: true, text: true, isSuggestion: true, editedFromId: true, createdAt: true },
  });
  await prisma.conversation.update({ where: { id: conversationId }, data: { updatedAt: new Date() } });
  return { ...m, fromModel: null, createdAt: m.createdAt.toISOString() };
}
