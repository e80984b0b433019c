// Checks that a labeler may still write into a dialogue: theirs, not submitted, not skipped.
import { prisma } from '../../db';
import { AppError } from '../errors';

export type WritableConversation = { id: string; projectId: string };

export async function writableConversation(conversationId: string, userId: string): Promise<WritableConversation> {
  const c = await prisma.conversation.findUnique({
    where: { id: conversationId },
    select: { id: true, projectId: true, userId: true, submitted: true, assignment: { select: { status: true } } },
  });
  if (!c) throw new AppError('NOT_FOUND', `No conversation with id ${conversationId}.`);
  if (c.userId !== userId) throw new AppError('FORBIDDEN', 'This dialogue belongs to another labeler.');
  if (c.submitted || c.assignment?.status === 'SUBMITTED') throw new AppError('CONFLICT', 'This dialogue is already submitted; it can no longer change.');
  if (c.assignment?.status === 'SKIPPED') throw new AppError('CONFLICT', 'You skipped this dialogue task.');
  return { id: c.id, projectId: c.projectId };
}
