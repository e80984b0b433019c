// Comparisons inside conversations, through the real path: a labeler's dialogue with a
// suggestion accepted word for word (a model-written turn) is submitted; the sample queue (a
// stand-in worker that runs the real picking and storing, writing fixed alternatives instead of
// loading a model) makes a ranking set in that context; another labeler ranks it; the ranking
// reaches RM training rows and trl-preference-conversational with the whole history.
import { afterAll, describe, expect, it } from 'vitest';
import { Worker } from 'bullmq';
import { prisma } from '../../lib/db';
import { redisConnection, queuePrefix, closeQueues } from '../../lib/queue/connection';
import { closeInferEvents } from '../../lib/queue/infer';
import { QUEUES, SamplePayload } from '../../lib/queue/names';
import { nextTask } from '../../lib/data/tasks/next-task';
import { getTaskView } from '../../lib/data/tasks/get-task-view';
import { makeProject, makeUser } from '../../lib/data/tasks/test-fixtures';
import { importPrompts } from '../../lib/data/prompts/import-prompts';
import { submitDialogue } from '../../lib/data/submissions/submit-dialogue';
import { submitRanking } from '../../lib/data/submissions/submit-ranking';
import { addMessage } from '../../lib/data/conversations/add-message';
import { loadRecords } from '../../lib/data/training/round-data';
import { closeExportPools } from '../../lib/data/exports/cursor';
import { resolveSelection } from '../../lib/data/exports/selection';
import { trlPreferenceConversational } from '../../lib/data/exports/formats/trl-preference-conversational';
import { sftMessages } from '../../lib/data/exports/formats/sft-messages';
import { contextTarget, markContextSampled, saveContextSets } from '../../lib/data/sampling/context-work';
import { contextOverview } from '../../lib/data/sampling/context-overview';
import { NO_POLICY_FOR_CONTEXT } from '../../lib/data/sampling/request-context-sampling';
import { importConversations } from '../../lib/data/conversations/import-conversations';
import { requestSampling } from '../../lib/data/sampling/request-sampling';

const worker = new Worker(
  QUEUES.sample,
  async (job) => {
    const p = SamplePayload.parse(job.data);
    const t = await contextTarget(p.projectId, p.checkpointId!, p.conversationIds ?? [], p.pickSeed ?? 0);
    const sets = t.picks.map((pick, n) => ({ pick, seed: 1, alternatives: Array.from({ length: t.k - 1 }, (_, i) => ({ text: `Alternative ${n}.${i}`, tokens: 2, logprob: -1 })) }));
    await saveContextSets(t, sets);
    await markContextSampled(t.conversationIds);
  },
  { connection: redisConnection(), prefix: queuePrefix() },
);

afterAll(async () => {
  await worker.close();
  await closeInferEvents();
  await closeQueues();
  await closeExportPools();
  await prisma.$disconnect();
});

async function until<T>(what: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for the sample queue');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function collect(records: AsyncIterable<unknown[] | string>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const b of records) out.push(...(typeof b === 'string' ? b.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : b));
  return out;
}

async function dialogue(opts: { policy: boolean }) {
  const projectId = await makeProject({ mixDemonstration: 0, k: 4, overlap: 1, contextRate: 1 });
  await importPrompts(projectId, '{"text":"Plan a picnic"}', 'jsonl', null);
  const policy = opts.policy ? await prisma.checkpoint.create({ data: { projectId, kind: 'POLICY', name: 'policy-r1', preset: 'tiny', uri: 'x', active: true, promotedAt: new Date() } }) : null;
  const author = await makeUser();
  const lease = (await nextTask(author, { projectId, kind: 'DIALOGUE' }))!;
  const view = await getTaskView(lease.taskId, author);
  return { projectId, policy, author, lease, convoId: view.dialogue!.conversationId, rootId: view.dialogue!.messages[0].id };
}

describe('comparisons inside conversations', () => {
  it('turns a model-written turn of a submitted dialogue into a ranking set in its context, used by training and exports', async () => {
    const { projectId, policy, author, lease, convoId, rootId } = await dialogue({ policy: true });
    const a1 = await addMessage(convoId, author, { parentId: rootId, role: 'ASSISTANT', text: 'Where would you like to go?' });
    const u2 = await addMessage(convoId, author, { parentId: a1.id, role: 'USER', text: 'A park by the river.' });
    // A model suggestion, accepted word for word: a model-written turn.
    const raw = await prisma.message.create({ data: { projectId, conversationId: convoId, parentId: u2.id, role: 'ASSISTANT', text: 'Bring a blanket and fruit.', isSuggestion: true, authorCheckpointId: policy!.id } });
    const a2 = await addMessage(convoId, author, { parentId: u2.id, role: 'ASSISTANT', text: raw.text, editedFromId: raw.id });
    const u3 = await addMessage(convoId, author, { parentId: a2.id, role: 'USER', text: 'And drinks?' });
    const a3 = await addMessage(convoId, author, { parentId: u3.id, role: 'ASSISTANT', text: 'Water and lemonade.' });
    await addMessage(convoId, author, { parentId: u3.id, role: 'ASSISTANT', text: 'A newer branch the labeler did not choose.' });
    await submitDialogue(lease.taskId, author, { leafMessageId: a3.id }, 'ctx-dialogue-1');

    // §3: the main branch is stored.
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: convoId } })).leafMessageId).toBe(a3.id);

    const set = await until(() => prisma.completionSet.findFirst({ where: { conversationId: convoId }, include: { completions: { orderBy: { index: 'asc' } }, task: true } }));
    expect(set).toMatchObject({ contextMessageId: u2.id, continuesMessageId: a2.id, checkpointId: policy!.id });
    expect(set.completions.map((c) => c.text)).toEqual(['Bring a blanket and fruit.', 'Alternative 0.0', 'Alternative 0.1', 'Alternative 0.2']);
    expect(set.task).toMatchObject({ kind: 'RANKING' });
    // The seed that picked the turn is recorded on the job row and on the set.
    const job = await prisma.trainingJob.findFirstOrThrow({ where: { stage: 'SAMPLE', config: { path: ['projectId'], equals: projectId } } });
    const pickSeed = (job.config as { pickSeed: number }).pickSeed;
    expect(typeof pickSeed).toBe('number');
    expect((set.samplingParams as { pickSeed: number }).pickSeed).toBe(pickSeed);
    // One set per picked turn: only a2 is model-written (a1, a3 and the branch are the labeler's).
    expect(await prisma.completionSet.count({ where: { conversationId: convoId } })).toBe(1);
    expect(await contextOverview(projectId)).toMatchObject({ sets: 1, dialogues: 1, waiting: 0, reason: null });

    // Never given to its author; another labeler ranks it, seeing the conversation so far.
    expect(await nextTask(author, { projectId, kind: 'RANKING' })).toBeNull();
    const ranker = await makeUser();
    const rl = (await nextTask(ranker, { projectId, kind: 'RANKING' }))!;
    expect(rl.taskId).toBe(set.task!.id);
    const rv = await getTaskView(rl.taskId, ranker);
    expect(rv.ranking!.context!.map((m) => m.text)).toEqual(['Plan a picnic', 'Where would you like to go?', 'A park by the river.']);
    const out = await submitRanking(rl.taskId, ranker, { tiers: [[1], [0], [2, 3]], allBad: false, flags: {} }, 'ctx-rank-1');

    const history = [
      { role: 'user', content: 'Plan a picnic' },
      { role: 'assistant', content: 'Where would you like to go?' },
      { role: 'user', content: 'A park by the river.' },
    ];
    const data = await loadRecords([{ itemType: 'judgement', itemId: out.submissionId }, { itemType: 'conversation', itemId: convoId }]);
    expect(data.rankings).toEqual([{ id: out.submissionId, context: history, completions: ['Bring a blanket and fruit.', 'Alternative 0.0', 'Alternative 0.1', 'Alternative 0.2'], tiers: [[1], [0], [2, 3]] }]);
    // SFT follows the stored main branch (a3), not the newest one.
    expect(data.sft[0].messages.at(-1)).toEqual({ role: 'assistant', content: 'Water and lemonade.' });

    const sel = await resolveSelection({ projectId });
    const pairs = (await collect(trlPreferenceConversational.records(sel, () => {}))) as { prompt: unknown; chosen: { content: string }[]; rejected: { content: string }[] }[];
    expect(pairs).toHaveLength(5);
    for (const p of pairs) expect(p.prompt).toEqual(history);
    expect(pairs[0]).toMatchObject({ chosen: [{ content: 'Alternative 0.0' }], rejected: [{ content: 'Bring a blanket and fruit.' }] });

    // SFT exports: the main branch by default, every branch with branches=all.
    const main = (await collect(sftMessages.records(sel, () => {}))) as { messages: { content: string }[] }[];
    expect(main.map((e) => e.messages.at(-1)!.content)).toEqual(['Water and lemonade.']);
    const all = (await collect(sftMessages.records(await resolveSelection({ projectId, branches: 'all' }), () => {}))) as { messages: { content: string }[] }[];
    expect(all.map((e) => e.messages.at(-1)!.content).sort()).toEqual(['A newer branch the labeler did not choose.', 'Water and lemonade.']);
  });

  it('a dialogue with no model-written turn gives no set and no error', async () => {
    const { projectId, author, lease, convoId, rootId } = await dialogue({ policy: true });
    await addMessage(convoId, author, { parentId: rootId, role: 'ASSISTANT', text: 'My own answer.' });
    await submitDialogue(lease.taskId, author, {}, 'ctx-dialogue-2');
    await until(async () => (await prisma.conversation.findUniqueOrThrow({ where: { id: convoId } })).contextSampledAt);
    expect(await prisma.completionSet.count({ where: { projectId } })).toBe(0);
    expect(await contextOverview(projectId)).toMatchObject({ sets: 0, waiting: 0, reason: null });
  });

  it('with no active policy queues nothing, the project overview says why, and promotion samples the waiting dialogue', async () => {
    const { projectId, author, lease, convoId, rootId } = await dialogue({ policy: false });
    await prisma.message.create({ data: { projectId, conversationId: convoId, parentId: rootId, role: 'ASSISTANT', text: 'Imported model turn.', authorModel: 'gpt-x' } });
    await submitDialogue(lease.taskId, author, {}, 'ctx-dialogue-3');
    expect(await prisma.trainingJob.count({ where: { stage: 'SAMPLE', config: { path: ['projectId'], equals: projectId } } })).toBe(0);
    expect(await contextOverview(projectId)).toEqual({ sets: 0, dialogues: 0, waiting: 1, contextRate: 1, reason: NO_POLICY_FOR_CONTEXT });
    // Once a policy is promoted (promotion asks for sampling), the waiting dialogue is sampled.
    const policy = await prisma.checkpoint.create({ data: { projectId, kind: 'POLICY', name: 'policy-r1', preset: 'tiny', uri: 'x', active: true, promotedAt: new Date() } });
    expect(await requestSampling(projectId, { checkpointId: policy.id })).toMatchObject({ queued: true });
    const set = await until(() => prisma.completionSet.findFirst({ where: { conversationId: convoId }, include: { completions: { orderBy: { index: 'asc' } } } }));
    expect(set.completions[0].text).toBe('Imported model turn.');
    expect(await contextOverview(projectId)).toMatchObject({ sets: 1, waiting: 0, reason: null });
  });

  it('imports conversations from a file, samples their model-written turns, and names the line of every problem', async () => {
    const projectId = await makeProject({ mixDemonstration: 0, k: 4, overlap: 1, contextRate: 1 });
    await prisma.checkpoint.create({ data: { projectId, kind: 'POLICY', name: 'policy-r1', preset: 'tiny', uri: 'x', active: true, promotedAt: new Date() } });
    const admin = await makeUser('ADMIN');
    await expect(importConversations(projectId, '{"messages":[{"role":"user","content":"Hi"},{"role":"user","content":"Again"}]}', admin)).rejects.toThrow(
      /line 1, field "messages": message 2 is a second user turn in a row/,
    );
    await expect(importConversations(projectId, '{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello","model":"m"}]}\n{"messages":[]}', admin)).rejects.toThrow(/line 2, field "messages"/);
    const file = [
      { messages: [{ role: 'user', content: 'Name a colour.' }, { role: 'assistant', content: 'Blue.', model: 'gpt-x' }, { role: 'user', content: 'Another?' }, { role: 'assistant', content: 'Green, I think.' }] },
      { messages: [{ role: 'user', content: 'Say hi.' }, { role: 'assistant', content: 'Hi!' }] },
    ].map((o) => JSON.stringify(o)).join('\n');
    const out = await importConversations(projectId, file, admin);
    expect(out).toMatchObject({ conversations: 2, modelTurns: 1, promptsCreated: 2, sampling: { queued: true } });
    const set = await until(() => prisma.completionSet.findFirst({ where: { projectId }, include: { completions: { orderBy: { index: 'asc' } }, continuesMessage: true } }));
    expect(set.continuesMessage).toMatchObject({ text: 'Blue.', authorModel: 'gpt-x' });
    expect(set.completions[0].text).toBe('Blue.');
    await until(async () => (await prisma.conversation.count({ where: { projectId, contextSampledAt: null } })) === 0);
    expect(await prisma.completionSet.count({ where: { projectId } })).toBe(1);
    // The importing admin wrote these dialogues: the set goes to someone else.
    expect(await nextTask(admin, { projectId, kind: 'RANKING' })).toBeNull();
  });
});
