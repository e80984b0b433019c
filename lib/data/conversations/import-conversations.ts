// Imports finished conversations from a file (parse-conversation-file.ts), all or nothing.
// Each becomes a submitted dialogue of the importing admin, whose main branch is the whole
// conversation; its first user turn is its prompt (matched by text, created when new, with no
// writing tasks). Then its model-written turns are sent to the sample queue for in-context
// comparisons, like a submitted dialogue's.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { newId } from '../../shared/ids';
import { textHash } from '../prompts/parse-prompt-file';
import { requestContextSampling } from '../sampling/request-context-sampling';
import type { SamplingRequest } from '../sampling/request-sampling';
import { parseConversationFile } from './parse-conversation-file';

export type ConversationImportResult = { conversations: number; modelTurns: number; promptsCreated: number; sampling: SamplingRequest };

export async function importConversations(projectId: string, body: string, actorId: string): Promise<ConversationImportResult> {
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { id: true, guidelines: { select: { version: true }, orderBy: { version: 'desc' }, take: 1 } } });
  if (!project) throw new AppError('NOT_FOUND', `No project with id ${projectId}.`);
  const rows = parseConversationFile(body);
  const guidelineVersion = project.guidelines[0]?.version ?? 0;

  const { ids, promptsCreated } = await prisma.$transaction(
    async (tx) => {
      const firstByHash = new Map<string, (typeof rows)[number]>();
      for (const r of rows) {
        const h = textHash(r.turns[0].text);
        if (!firstByHash.has(h)) firstByHash.set(h, r);
      }
      const created = await tx.prompt.createManyAndReturn({
        data: [...firstByHash.entries()].map(([h, r]) => ({ id: newId(), projectId, text: r.turns[0].text, textHash: h, split: r.split, tags: r.tags, source: 'IMPORT' as const, createdById: actorId })),
        skipDuplicates: true,
        select: { id: true },
      });
      const prompts = await tx.prompt.findMany({ where: { projectId, textHash: { in: [...firstByHash.keys()] } }, select: { id: true, textHash: true } });
      const promptByHash = new Map(prompts.map((p) => [p.textHash, p.id]));
      const convos: { id: string; projectId: string; promptId: string; userId: string; guidelineVersion: number; submitted: boolean; leafMessageId: string }[] = [];
      const messages: { id: string; projectId: string; conversationId: string; parentId: string | null; role: 'USER' | 'ASSISTANT'; text: string; authorModel: string | null; createdAt: Date }[] = [];
      const t0 = Date.now();
      for (const r of rows) {
        const id = newId();
        let parentId: string | null = null;
        for (const [i, t] of r.turns.entries()) {
          const mid = newId();
          // Distinct timestamps keep the turns in file order wherever messages sort by time.
          messages.push({ id: mid, projectId, conversationId: id, parentId, role: t.role, text: t.text, authorModel: t.model, createdAt: new Date(t0 + i) });
          parentId = mid;
        }
        convos.push({ id, projectId, promptId: promptByHash.get(textHash(r.turns[0].text))!, userId: actorId, guidelineVersion, submitted: true, leafMessageId: parentId! });
      }
      // Conversations first without their leaf (the messages do not exist yet), then the leaf.
      await tx.conversation.createMany({ data: convos.map(({ leafMessageId: _leaf, ...c }) => c) });
      await tx.message.createMany({ data: messages });
      for (const c of convos) await tx.conversation.update({ where: { id: c.id }, data: { leafMessageId: c.leafMessageId } });
      return { ids: convos.map((c) => c.id), promptsCreated: created.length };
    },
    { timeout: 300_000 },
  );
  const sampling = await requestContextSampling(projectId, ids);
  return { conversations: ids.length, modelTurns: rows.reduce((n, r) => n + r.turns.filter((t) => t.model).length, 0), promptsCreated, sampling };
}
