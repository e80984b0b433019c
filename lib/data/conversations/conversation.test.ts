import { afterAll, describe, expect, it } from 'vitest';
import { Worker } from 'bullmq';
import { prisma } from '../../db';
import { redisConnection, queuePrefix, closeQueues } from '../../queue/connection';
import { closeInferEvents } from '../../queue/infer';
import { QUEUES, InferPayload } from '../../queue/names';
import { nextTask } from '../tasks/next-task';
import { getTaskView } from '../tasks/get-task-view';
import { makeProject, makeUser } from '../tasks/test-fixtures';
import { importPrompts } from '../prompts/import-prompts';
import { submitDialogue } from '../submissions/submit-dialogue';
import { addMessage } from './add-message';
import { requestSuggestion } from './request-suggestion';

afterAll(async () => {
  await closeInferEvents();
  await closeQueues();
  await prisma.$disconnect();
});

async function dialogueLease() {
  const projectId = await makeProject({ mixDemonstration: 0 });
  await importPrompts(projectId, '{"text":"Plan a picnic"}', 'jsonl', null);
  const user = await makeUser();
  const lease = (await nextTask(user, { projectId, kind: 'DIALOGUE' }))!;
  const view = await getTaskView(lease.taskId, user);
  return { projectId, user, lease, view, convoId: view.dialogue!.conversationId, rootId: view.dialogue!.messages[0].id };
}

describe('dialogues', () => {
  it('starts from the prompt, alternates roles, branches, and refuses bad turns', async () => {
    const { user, convoId, rootId, lease, view } = await dialogueLease();
    expect(view.dialogue!.messages).toMatchObject([{ role: 'USER', text: 'Plan a picnic', parentId: null }]);
    expect(view.dialogue!.suggestions).toMatchObject({ available: false });
    await expect(submitDialogue(lease.taskId, user, {})).rejects.toThrow(/no assistant turn/);
    const a1 = await addMessage(convoId, user, { parentId: rootId, role: 'ASSISTANT', text: 'Bring sandwiches.' });
    const a2 = await addMessage(convoId, user, { parentId: rootId, role: 'ASSISTANT', text: 'Pick a park first.' }); // a branch
    await expect(addMessage(convoId, user, { parentId: a1.id, role: 'ASSISTANT', text: 'again' })).rejects.toThrow(/sides alternate/);
    await expect(addMessage(convoId, user, { parentId: a1.id, role: 'USER', text: '   ' })).rejects.toThrow(/empty/);
    await expect(addMessage(convoId, user, { parentId: 'nope', role: 'USER', text: 'x' })).rejects.toThrow(/not part of this dialogue/);
    const stranger = await makeUser();
    await expect(addMessage(convoId, stranger, { parentId: a1.id, role: 'USER', text: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const out = await submitDialogue(lease.taskId, user, { leafMessageId: a2.id }, 'dlg-key-1');
    expect(out.submissionId).toBe(convoId);
    await expect(addMessage(convoId, user, { parentId: a1.id, role: 'USER', text: 'late' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const c = await prisma.conversation.findUniqueOrThrow({ where: { id: convoId }, include: { messages: true } });
    expect(c.submitted).toBe(true);
    expect(c.messages).toHaveLength(3);
  });

  it('says why suggestions are unavailable without an active policy', async () => {
    const { user, convoId, rootId } = await dialogueLease();
    await expect(requestSuggestion(convoId, user, rootId)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/No model is active/) });
  });

  it('asks the infer queue for a suggestion and keeps both the suggestion and the edit', async () => {
    const { projectId, user, convoId, rootId } = await dialogueLease();
    const ckpt = await prisma.checkpoint.create({ data: { projectId, kind: 'POLICY', name: 'policy-r1', preset: 'tiny', uri: 'x', active: true, promotedAt: new Date() } });
    const seen: InferPayload[] = [];
    const worker = new Worker(
      QUEUES.infer,
      async (job) => {
        const p = InferPayload.parse(job.data);
        seen.push(p);
        return { text: 'Bring a blanket and fruit.', checkpointId: p.checkpointId!, tokens: 6, promptTokens: 9, finishReason: 'stop' };
      },
      { connection: redisConnection(), prefix: queuePrefix() },
    );
    try {
      const s = await requestSuggestion(convoId, user, rootId, { timeoutMs: 20_000 });
      expect(s).toMatchObject({ role: 'ASSISTANT', isSuggestion: true, text: 'Bring a blanket and fruit.', fromModel: 'policy-r1' });
      expect(seen[0]).toMatchObject({ checkpointId: ckpt.id, messages: [{ role: 'user', content: 'Plan a picnic' }] });
      const edit = await addMessage(convoId, user, { parentId: rootId, role: 'ASSISTANT', text: 'Bring a blanket, fruit and water.', editedFromId: s.id });
      const rows = await prisma.message.findMany({ where: { conversationId: convoId, role: 'ASSISTANT' }, orderBy: { createdAt: 'asc' } });
      expect(rows.map((m) => [m.isSuggestion, m.authorCheckpointId, m.editedFromId])).toEqual([
        [true, ckpt.id, null],
        [false, null, s.id],
      ]);
      expect(edit.editedFromId).toBe(s.id);
    } finally {
      await worker.close();
    }
  });

  it('times out with a clear message when no worker answers', async () => {
    const { projectId, user, convoId, rootId } = await dialogueLease();
    await prisma.checkpoint.create({ data: { projectId, kind: 'POLICY', name: 'p', preset: 'tiny', uri: 'x', active: true } });
    await expect(requestSuggestion(convoId, user, rootId, { timeoutMs: 500 })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/did not answer in time/) });
  });
});
