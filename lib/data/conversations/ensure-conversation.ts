// The dialogue of a DIALOGUE assignment, created on first open: its root is the task's prompt
// as the first user turn.
import { prisma } from '../../db';
import type { Hold } from '../tasks/gate';

export async function ensureConversation(hold: Hold, userId: string): Promise<string> {
  const found = await prisma.conversation.findUnique({ where: { assignmentId: hold.assignmentId }, select: { id: true } });
  if (found) return found.id;
  const prompt = hold.promptId ? await prisma.prompt.findUnique({ where: { id: hold.promptId }, select: { text: true } }) : null;
  try {
    const c = await prisma.conversation.create({
      data: {
        projectId: hold.projectId,
        taskId: hold.taskId,
        assignmentId: hold.assignmentId,
        promptId: hold.promptId,
        userId,
        guidelineVersion: hold.guidelineVersion,
        messages: prompt ? { create: { projectId: hold.projectId, role: 'USER', text: prompt.text } } : undefined,
      },
      select: { id: true },
    });
    return c.id;
  } catch (e) {
    if ((e as { code?: string }).code === 'P2002') {
      const again = await prisma.conversation.findUnique({ where: { assignmentId: hold.assignmentId }, select: { id: true } });
      if (again) return again.id;
    }
    throw e;
  }
}
