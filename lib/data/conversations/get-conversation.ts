// A labeler's dialogue tree: every message (suggestions included), oldest first.
import { prisma } from '../../db';
import { AppError } from '../errors';

export type MessageDTO = {
  id: string;
  parentId: string | null;
  role: 'USER' | 'ASSISTANT';
  text: string;
  isSuggestion: boolean;
  editedFromId: string | null;
  fromModel: string | null;
  createdAt: string;
};
export type ConversationDTO = { id: string; taskId: string | null; projectId: string; submitted: boolean; messages: MessageDTO[] };

export async function getConversation(conversationId: string, userId: string): Promise<ConversationDTO> {
  const c = await prisma.conversation.findUnique({
    where: { id: conversationId },
    select: {
      id: true, taskId: true, projectId: true, userId: true, submitted: true,
      messages: {
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: { id: true, parentId: true, role: true, text: true, isSuggestion: true, editedFromId: true, createdAt: true, authorCheckpoint: { select: { name: true } } },
      },
    },
  });
  if (!c) throw new AppError('NOT_FOUND', `No conversation with id ${conversationId}.`);
  if (c.userId !== userId) throw new AppError('FORBIDDEN', 'This dialogue belongs to another labeler.');
  return {
    id: c.id,
    taskId: c.taskId,
    projectId: c.projectId,
    submitted: c.submitted,
    messages: c.messages.map(({ authorCheckpoint, createdAt, ...m }) => ({ ...m, fromModel: authorCheckpoint?.name ?? null, createdAt: createdAt.toISOString() })),
  };
}
