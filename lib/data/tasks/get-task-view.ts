// Everything a task page (or an API client) needs to work on a held task: the prompt, the
// completions in this labeler's display order or the dialogue tree, the draft, the lease. An
// arena battle is two replies, left and right in this labeler's order, and nothing else: no
// model or checkpoint name or id, no reply or battle id, no hint of which model wrote which.
import { prisma } from '../../db';
import { arenaSwapped, displayOrder, type TaskKindName } from '../../shared/labeling';
import { suggestionState, type SuggestionState } from '../suggestions/suggestion-state';
import { ensureConversation } from '../conversations/ensure-conversation';
import { getConversation, type MessageDTO } from '../conversations/get-conversation';
import { readHold } from './gate';
import type { LikertMode } from '../../shared/collection';

export type TaskView = {
  taskId: string;
  kind: TaskKindName;
  projectId: string;
  projectName: string;
  status: 'ACTIVE' | 'SUBMITTED' | 'SKIPPED' | 'EXPIRED';
  leaseExpired: boolean;
  expiresAt: string;
  leasedAt: string;
  guidelineVersion: number; // the latest version when the view was read: post it back with the submit
  likertMode: LikertMode; // ranking tasks: one overall rating, or one per completion
  draft: Record<string, unknown> | null;
  draftUpdatedAt: string | null;
  prompt: { id: string; text: string } | null;
  ranking: {
    setId: string;
    k: number;
    sourceModel: string;
    displayOrder: number[];
    completions: { index: number; text: string }[];
    context: { role: 'USER' | 'ASSISTANT'; text: string }[] | null;
  } | null;
  dialogue: {
    conversationId: string;
    messages: MessageDTO[];
    suggestions: SuggestionState;
  } | null;
  /** Model suggestions in the demonstration and dialogue editors (null for rankings and arena votes). */
  suggestions: SuggestionState | null;
  /** An arena battle's two replies as this labeler sees them (texts only). */
  arena: { left: { text: string }; right: { text: string } } | null;
};

export async function getTaskView(taskId: string, userId: string): Promise<TaskView> {
  const hold = await readHold(taskId, userId);
  const [a, project, prompt] = await Promise.all([
    prisma.assignment.findUnique({ where: { id: hold.assignmentId }, select: { draft: true, draftUpdatedAt: true } }),
    prisma.project.findUnique({ where: { id: hold.projectId }, select: { name: true, likertMode: true } }),
    hold.promptId ? prisma.prompt.findUnique({ where: { id: hold.promptId }, select: { id: true, text: true } }) : null,
  ]);
  const view: TaskView = {
    taskId,
    kind: hold.kind,
    projectId: hold.projectId,
    projectName: project?.name ?? '',
    status: hold.status,
    leaseExpired: hold.status === 'EXPIRED' || (hold.status === 'ACTIVE' && hold.expired),
    expiresAt: hold.expiresAt.toISOString(),
    leasedAt: hold.leasedAt.toISOString(),
    guidelineVersion: hold.guidelineVersion,
    likertMode: (project?.likertMode ?? 'PER_RANKING') as LikertMode,
    draft: (a?.draft as Record<string, unknown> | null) ?? null,
    draftUpdatedAt: a?.draftUpdatedAt?.toISOString() ?? null,
    prompt,
    ranking: null,
    dialogue: null,
    suggestions: hold.kind === 'RANKING' || hold.kind === 'ARENA' ? null : await suggestionState(hold.projectId),
    arena: null,
  };
  if (hold.kind === 'ARENA' && hold.arenaBattleId) {
    const b = await prisma.arenaBattle.findUnique({ where: { id: hold.arenaBattleId }, select: { displaySeed: true, replyA: { select: { text: true } }, replyB: { select: { text: true } } } });
    if (b) {
      const swapped = arenaSwapped(b.displaySeed, userId);
      view.arena = swapped ? { left: { text: b.replyB.text }, right: { text: b.replyA.text } } : { left: { text: b.replyA.text }, right: { text: b.replyB.text } };
    }
  }
  if (hold.kind === 'RANKING' && hold.completionSetId) {
    const set = await prisma.completionSet.findUnique({
      where: { id: hold.completionSetId },
      select: { id: true, sourceModel: true, displaySeed: true, contextMessageId: true, completions: { orderBy: { index: 'asc' }, select: { index: true, text: true } } },
    });
    if (set) {
      let context: { role: 'USER' | 'ASSISTANT'; text: string }[] | null = null;
      if (set.contextMessageId) {
        context = [];
        let id: string | null = set.contextMessageId;
        while (id) {
          const m: { parentId: string | null; role: 'USER' | 'ASSISTANT'; text: string } | null = await prisma.message.findUnique({ where: { id }, select: { parentId: true, role: true, text: true } });
          if (!m) break;
          context.unshift({ role: m.role, text: m.text });
          id = m.parentId;
        }
      }
      view.ranking = {
        setId: set.id,
        k: set.completions.length,
        sourceModel: set.sourceModel,
        displayOrder: displayOrder(set.completions.length, set.displaySeed, userId),
        completions: set.completions,
        context,
      };
    }
  }
  if (hold.kind === 'DIALOGUE') {
    const conversationId = hold.status === 'SKIPPED' ? (await prisma.conversation.findUnique({ where: { assignmentId: hold.assignmentId }, select: { id: true } }))?.id : await ensureConversation(hold, userId);
    if (conversationId) {
      const convo = await getConversation(conversationId, userId);
      view.dialogue = { conversationId, messages: convo.messages, suggestions: view.suggestions! };
    }
  }
  return view;
}
