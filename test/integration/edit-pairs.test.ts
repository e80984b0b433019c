// Suggestions accepted and edited become preference pairs (edited ≻ raw) — exactly one per
// edit, none for an untouched acceptance — in the exports and in the RM's training rows at the
// project's editPairWeight (none at 0). A fake infer worker stands in for the model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'bullmq';
import { prisma } from '@/lib/db';
import { redisConnection, queuePrefix, closeQueues } from '@/lib/queue/connection';
import { closeInferEvents } from '@/lib/queue/infer';
import { QUEUES, InferPayload } from '@/lib/queue/names';
import { nextTask } from '@/lib/data/tasks/next-task';
import { getTaskView } from '@/lib/data/tasks/get-task-view';
import { makeProject, makeRankingSets, makeUser } from '@/lib/data/tasks/test-fixtures';
import { submitRanking } from '@/lib/data/submissions/submit-ranking';
import { importPrompts } from '@/lib/data/prompts/import-prompts';
import { submitDialogue } from '@/lib/data/submissions/submit-dialogue';
import { submitDemonstration } from '@/lib/data/submissions/submit-demonstration';
import { addMessage } from '@/lib/data/conversations/add-message';
import { requestSuggestion } from '@/lib/data/conversations/request-suggestion';
import { openExport } from '@/lib/data/exports/stream-export';
import { closeExportPools } from '@/lib/data/exports/cursor';
import { loadRecords } from '@/lib/data/training/round-data';
import { suggestDemonstration } from '@/lib/data/suggestions/suggest-demonstration';

const RAW = 'Bring a blanket\nand fruit.';
let worker: Worker;
let projectId = '';
let policyId = '';
const demoIds: string[] = [];
const convIds: string[] = [];
let editedMessageId = '';
let editedDemoId = '';

async function lines(format: string): Promise<Record<string, unknown>[]> {
  const out = await openExport({ format, filter: { projectId } });
  const parts: Buffer[] = [];
  for await (const c of out.chunks) parts.push(c);
  return Buffer.concat(parts).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
}

beforeAll(async () => {
  projectId = await makeProject({ overlap: 1, editPairWeight: 2.5, suggestMode: 'LIVE' });
  await importPrompts(projectId, ['Plan a picnic', 'Plan a hike', 'Plan a swim', 'Plan a ride'].map((text) => JSON.stringify({ text })).join('\n'), 'jsonl', null);
  policyId = (await prisma.checkpoint.create({ data: { projectId, kind: 'POLICY', name: 'policy-r1', preset: 'tiny', uri: 'x', active: true, promotedAt: new Date() } })).id;
  worker = new Worker(QUEUES.infer, async (job) => ({ text: RAW, checkpointId: InferPayload.parse(job.data).checkpointId!, tokens: 6, promptTokens: 9, finishReason: 'stop' }), {
    connection: redisConnection(),
    prefix: queuePrefix(),
  });

  // One ranking, so the exports hold both origins.
  await makeRankingSets(projectId, 1);
  const ranker = await makeUser();
  const ranking = (await nextTask(ranker, { projectId, kind: 'RANKING' }))!;
  await submitRanking(ranking.taskId, ranker, { tiers: [[1], [0], [2], [3]], allBad: false, flags: {} });

  // Demonstrations: one accepted and edited, one accepted untouched (a browser's \r\n and spaces only).
  for (const [i, text] of [`${RAW} Also water.`, `  ${RAW.replace('\n', '\r\n')}\n`].entries()) {
    const user = await makeUser();
    const lease = (await nextTask(user, { projectId, kind: 'DEMONSTRATION' }))!;
    expect((await getTaskView(lease.taskId, user)).suggestions).toEqual({ mode: 'LIVE', available: true, reason: null, model: 'policy-r1' });
    const s = await suggestDemonstration(lease.taskId, user, { timeoutMs: 20_000 });
    expect(s).toMatchObject({ text: RAW, fromModel: 'policy-r1' });
    const out = await submitDemonstration(lease.taskId, user, { text, suggestionId: s.id }, `demo-edit-${i}-${projectId}`);
    demoIds.push(out.submissionId);
    if (i === 0) editedDemoId = out.submissionId;
  }
  // Dialogues: one suggestion edited, one accepted untouched.
  for (const [i, text] of [`${RAW} And water.`, RAW].entries()) {
    const user = await makeUser();
    const lease = (await nextTask(user, { projectId, kind: 'DIALOGUE' }))!;
    const view = await getTaskView(lease.taskId, user);
    const convoId = view.dialogue!.conversationId;
    const rootId = view.dialogue!.messages[0].id;
    const s = await requestSuggestion(convoId, user, rootId, { timeoutMs: 20_000 });
    const m = await addMessage(convoId, user, { parentId: rootId, role: 'ASSISTANT', text, editedFromId: s.id });
    await submitDialogue(lease.taskId, user, { leafMessageId: m.id });
    convIds.push(convoId);
    if (i === 0) editedMessageId = m.id;
  }
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await closeInferEvents();
  await closeQueues();
  await closeExportPools();
  await prisma.$disconnect();
});

describe('edited suggestions as preferences', () => {
  it('keeps the accepted raw suggestion beside the demonstration', async () => {
    const demos = await prisma.demonstration.findMany({ where: { id: { in: demoIds } }, select: { id: true, suggestionText: true, suggestionCheckpointId: true } });
    expect(demos.map((d) => [d.suggestionText, d.suggestionCheckpointId])).toEqual([
      [RAW, policyId],
      [RAW, policyId],
    ]);
  });

  it('gives exactly one pair per edit in every preference export, none for untouched acceptances', async () => {
    const all = await lines('pairwise');
    expect(all.map((r) => r.origin)).toEqual([...Array(6).fill('ranking'), 'edit', 'edit']);
    const pairwise = all.filter((r) => r.origin === 'edit');
    expect(pairwise.map((r) => [r.edit_id, r.chosen, r.rejected, r.checkpoint_id])).toEqual([
      [editedDemoId, `${RAW} Also water.`, RAW, policyId],
      [editedMessageId, `${RAW} And water.`, RAW, policyId],
    ]);
    expect(pairwise[1].prompt).toEqual([{ role: 'user', content: expect.stringMatching(/^Plan a /) }]);
    const trl = (await lines('trl-preference')).filter((r) => r.origin === 'edit');
    expect(trl.map((r) => [r.chosen, r.rejected])).toEqual([
      [`${RAW} Also water.`, RAW],
      [`${RAW} And water.`, RAW],
    ]);
    expect(trl.every((r) => typeof r.prompt === 'string' && (r.prompt as string).includes('Plan a '))).toBe(true);
    const conv = (await lines('trl-preference-conversational')).filter((r) => r.origin === 'edit');
    expect(conv.map((r) => [r.chosen, r.rejected])).toEqual([
      [[{ role: 'assistant', content: `${RAW} Also water.` }], [{ role: 'assistant', content: RAW }]],
      [[{ role: 'assistant', content: `${RAW} And water.` }], [{ role: 'assistant', content: RAW }]],
    ]);
    const judgements = (await lines('judgements')).filter((r) => r.origin === 'edit');
    expect(judgements.map((r) => [r.edit_id, r.completions, r.tiers])).toEqual([
      [editedDemoId, [`${RAW} Also water.`, RAW], [[0], [1]]],
      [editedMessageId, [`${RAW} And water.`, RAW], [[0], [1]]],
    ]);
  });

  it('feeds the reward model at the project weight, and not at weight 0', async () => {
    const items = [...demoIds.map((itemId) => ({ itemType: 'demonstration', itemId })), ...convIds.map((itemId) => ({ itemType: 'conversation', itemId }))];
    const data = await loadRecords(items);
    const edits = [...data.rankings, ...data.rankingsHeldOut].filter((r) => r.id.startsWith('edit:'));
    expect(edits.map((r) => [r.id, r.completions, r.tiers, r.weight])).toEqual([
      [`edit:${editedDemoId}`, [`${RAW} Also water.`, RAW], [[0], [1]], 2.5],
      [`edit:${editedMessageId}`, [`${RAW} And water.`, RAW], [[0], [1]], 2.5],
    ]);
    expect(edits[1].context).toEqual([{ role: 'user', content: expect.stringMatching(/^Plan a /) }]);
    await prisma.project.update({ where: { id: projectId }, data: { editPairWeight: 0 } });
    try {
      const off = await loadRecords(items);
      expect([...off.rankings, ...off.rankingsHeldOut]).toEqual([]);
    } finally {
      await prisma.project.update({ where: { id: projectId }, data: { editPairWeight: 2.5 } });
    }
  });

  it('refuses a suggestion from another task, and all suggestions when the project turns them off', async () => {
    const user = await makeUser();
    const lease = (await nextTask(user, { projectId, kind: 'DEMONSTRATION' }))!;
    const foreign = await prisma.demonstrationSuggestion.findFirstOrThrow({ select: { id: true } });
    await expect(submitDemonstration(lease.taskId, user, { text: 'Mine.', suggestionId: foreign.id })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/not made for this task/) });
    await prisma.project.update({ where: { id: projectId }, data: { suggestMode: 'OFF' } });
    try {
      expect((await getTaskView(lease.taskId, user)).suggestions).toMatchObject({ mode: 'OFF', available: false, reason: expect.stringMatching(/turned off/) });
      await expect(suggestDemonstration(lease.taskId, user)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/turned off for this project/) });
    } finally {
      await prisma.project.update({ where: { id: projectId }, data: { suggestMode: 'LIVE' } });
    }
  });
});
