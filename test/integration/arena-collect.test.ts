// The arena's collection half through the real use cases: an admin starts an evaluation of two
// nano checkpoints on held-out prompts; the arena job (run in-process, real models) writes the
// replies, battles and ARENA tasks; a labeler's next task is an arena vote whose lease and view
// carry no model name, checkpoint, model, reply or battle id; votes map to the battle's order
// whichever side the labeler saw; the refusals; closing stops serving and refuses late votes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db';
import { closeQueues } from '../../lib/queue/connection';
import { initBackend } from '../../lib/ml/backend';
import { GPT } from '../../lib/ml/model/gpt';
import { createTokenizer, GPT2_VOCAB_SIZE } from '../../lib/ml/tokenizer';
import { saveCheckpoint } from '../../lib/ml/checkpoint';
import { makeProject, makeUser } from '../../lib/data/tasks/test-fixtures';
import { importPrompts } from '../../lib/data/prompts/import-prompts';
import { startEvaluation } from '../../lib/data/arena/start-evaluation';
import { closeEvaluation } from '../../lib/data/arena/close-evaluation';
import { getEvaluation, listEvaluations } from '../../lib/data/arena/list-evaluations';
import { nextTask } from '../../lib/data/tasks/next-task';
import { getTaskView } from '../../lib/data/tasks/get-task-view';
import { submitTask } from '../../lib/data/submissions/submit-task';
import { skipTask } from '../../lib/data/tasks/skip-task';
import { arenaSwapped } from '../../lib/shared/labeling';
import { writeArena } from '../../worker/processors/arena';
import { clearPolicies } from '../../worker/stages/policy-cache';
import { createApiToken } from '../../lib/data/api-tokens/create-token';
import * as arenaRoute from '@/app/api/arena/route';
import * as arenaOneRoute from '@/app/api/arena/[id]/route';
import * as arenaCloseRoute from '@/app/api/arena/[id]/close/route';

const root = mkdtempSync(path.join(tmpdir(), 'hone-arena-'));

async function nanoCheckpoint(projectId: string, name: string, seed: number, kind: 'POLICY' | 'SFT' = 'POLICY', extra: { roundId?: string } = {}): Promise<string> {
  const dir = path.join(root, `${name}-${seed}`);
  const model = new GPT({ vocabSize: GPT2_VOCAB_SIZE, nPositions: 64, nEmbd: 32, nLayer: 2, nHead: 4, layerNormEpsilon: 1e-5, tokenizer: 'gpt2' }, { seed });
  await saveCheckpoint(dir, { model, tokenizer: createTokenizer('gpt2'), hone: { stage: kind === 'SFT' ? 'sft' : 'policy', step: 1 } });
  model.dispose();
  const c = await prisma.checkpoint.create({ data: { projectId, kind, name, preset: 'nano', uri: dir, ...extra }, select: { id: true } });
  return c.id;
}

let projectId: string;
let adminId: string;
let policyA: string;
let policyB: string;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  adminId = await makeUser('ADMIN', 'Arena admin');
  projectId = await makeProject({ name: `Arena ${Date.now()}`, overlap: 1 });
  await importPrompts(projectId, ['Name a colour', 'Count to three', 'Say hello'].map((t) => JSON.stringify({ text: t, split: 'val' })).concat(JSON.stringify({ text: 'Write a poem', split: 'train' })).join('\n'), 'jsonl', null);
  policyA = await nanoCheckpoint(projectId, 'arena-policy-alpha', 11);
  policyB = await nanoCheckpoint(projectId, 'arena-policy-beta', 12);
}, 120_000);

afterAll(async () => {
  clearPolicies();
  await closeQueues();
  await prisma.$disconnect();
});

describe('starting an evaluation', () => {
  it('refuses fewer than two distinct checkpoints, another project\'s, a reward model, and a project without held-out prompts, in words', async () => {
    await expect(startEvaluation({ projectId, checkpointIds: [policyA] }, adminId)).rejects.toThrow(/at least two distinct checkpoints/);
    await expect(startEvaluation({ projectId, checkpointIds: [policyA, policyA] }, adminId)).rejects.toThrow(/listed twice/);
    await expect(startEvaluation({ projectId }, adminId)).rejects.toThrow(/at least two checkpoints/);
    const other = await makeProject({ name: `Arena other ${Date.now()}` });
    const theirs = await prisma.checkpoint.create({ data: { projectId: other, kind: 'POLICY', name: 'their-policy', preset: 'nano', uri: 'x' } });
    await expect(startEvaluation({ projectId, checkpointIds: [policyA, theirs.id] }, adminId)).rejects.toThrow(/"their-policy" belongs to another project/);
    const rm = await prisma.checkpoint.create({ data: { projectId, kind: 'RM', name: 'arena-rm', preset: 'nano', uri: 'x' } });
    await expect(startEvaluation({ projectId, checkpointIds: [policyA, rm.id] }, adminId)).rejects.toThrow(/reward model, not a language model/);
    await importPrompts(other, JSON.stringify({ text: 'Only training here', split: 'train' }), 'jsonl', null);
    const o1 = await prisma.checkpoint.create({ data: { projectId: other, kind: 'POLICY', name: 'o1', preset: 'nano', uri: 'x' } });
    await expect(startEvaluation({ projectId: other, checkpointIds: [theirs.id, o1.id] }, adminId)).rejects.toThrow(/no held-out prompts \(split VAL or TEST\)/);
    await expect(startEvaluation({ projectId, checkpointIds: [policyA, policyB], votesPerBattle: 10 } as never, adminId)).rejects.toThrow(/at most 9 votes per battle/);
    expect(await prisma.arenaEvaluation.count({ where: { projectId: { in: [projectId, other] } } })).toBe(0);
  });

  it('answers a labeler 403 on every arena route, and a bad body 400 in words', async () => {
    const labeler = await makeUser('LABELER', 'Curious labeler');
    const { secret } = await createApiToken(labeler, { name: 'arena 403' });
    const auth = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
    const ctx = { params: Promise.resolve({ id: 'any-evaluation' }) };
    const body = JSON.stringify({ projectId, checkpointIds: [policyA, policyB] });
    expect((await arenaRoute.POST(new Request('http://localhost/api/arena', { method: 'POST', headers: auth, body }), ctx as never)).status).toBe(403);
    expect((await arenaRoute.GET(new Request(`http://localhost/api/arena?projectId=${projectId}`, { headers: auth }), ctx as never)).status).toBe(403);
    expect((await arenaOneRoute.GET(new Request('http://localhost/api/arena/any-evaluation', { headers: auth }), ctx)).status).toBe(403);
    expect((await arenaCloseRoute.POST(new Request('http://localhost/api/arena/any-evaluation/close', { method: 'POST', headers: auth }), ctx)).status).toBe(403);
    const { secret: adminSecret } = await createApiToken(adminId, { name: 'arena admin' });
    const bad = await arenaRoute.POST(new Request('http://localhost/api/arena', { method: 'POST', headers: { authorization: `Bearer ${adminSecret}`, 'content-type': 'application/json' }, body: JSON.stringify({ projectId, checkpointIds: [policyA], prompts: 0 }) }), ctx as never);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('Use at least 1 prompt');
  });

  it('takes a round: its policy (candidate) against the policy it started from (previous)', async () => {
    const round = await prisma.trainingRound.create({ data: { projectId, number: 1, preset: 'nano', config: {}, stages: ['sft', 'rm', 'ppo'], startCheckpointId: policyA, status: 'SUCCEEDED' } });
    await prisma.checkpoint.update({ where: { id: policyB }, data: { roundId: round.id } });
    const ev = await startEvaluation({ projectId, roundId: round.id, prompts: 2 }, adminId);
    const models = await prisma.arenaModel.findMany({ where: { evaluationId: ev.id }, orderBy: { position: 'asc' } });
    expect(models.map((m) => [m.checkpointId, m.role, m.name])).toEqual([
      [policyB, 'candidate', 'arena-policy-beta'],
      [policyA, 'previous', 'arena-policy-alpha'],
    ]);
    expect((await prisma.arenaEvaluation.findUniqueOrThrow({ where: { id: ev.id } })).roundId).toBe(round.id);
    await closeEvaluation(ev.id, adminId);
    await prisma.checkpoint.update({ where: { id: policyB }, data: { roundId: null } });
  });
});

describe('an evaluation from start to votes', () => {
  let evaluationId: string;
  const labelers: string[] = [];

  it('writes the replies, battles and ARENA tasks, opens, and a rerun adds nothing', async () => {
    const ev = await startEvaluation({ projectId, checkpointIds: [policyA, policyB], prompts: 50, votesPerBattle: 2, maxNewTokens: 6, name: 'alpha vs beta' }, adminId);
    evaluationId = ev.id;
    expect(ev).toMatchObject({ status: 'GENERATING', models: 2, prompts: 3 });
    const job = await prisma.trainingJob.findUniqueOrThrow({ where: { id: ev.jobId } });
    expect(job).toMatchObject({ stage: 'ARENA', roundId: null, totalSteps: 6 });
    expect(await prisma.auditLog.count({ where: { action: 'arena.start', targetId: ev.id, actorId: adminId } })).toBe(1);

    const steps: number[] = [];
    const run = await writeArena(ev.id, async (p) => {
      steps.push(p.step);
      expect(p.totalSteps).toBe(6);
    });
    expect(run).toMatchObject({ replies: 6, battles: 3, tasks: 3, opened: true, stopped: false });
    expect(steps.at(-1)).toBe(6);
    const tasks = await prisma.task.findMany({ where: { arenaBattle: { evaluationId: ev.id } }, select: { kind: true, wanted: true, promptId: true, status: true } });
    expect(tasks).toHaveLength(3);
    expect(tasks.every((t) => t.kind === 'ARENA' && t.wanted === 2 && t.promptId && t.status === 'OPEN')).toBe(true);
    const battles = await prisma.arenaBattle.findMany({ where: { evaluationId: ev.id }, include: { modelA: true, modelB: true } });
    expect(battles.every((b) => b.modelA.position === 0 && b.modelB.position === 1)).toBe(true);

    const again = await writeArena(ev.id, async () => {});
    expect(again).toMatchObject({ replies: 0, battles: 3, tasks: 0 });
    expect(await prisma.arenaReply.count({ where: { evaluationId: ev.id } })).toBe(6);
    expect(await prisma.task.count({ where: { arenaBattle: { evaluationId: ev.id } } })).toBe(3);

    const detail = await getEvaluation(ev.id);
    expect(detail).toMatchObject({ status: 'OPEN', models: 2, prompts: 3, battles: 3, votesWanted: 6, votes: 0, replies: 6 });
    expect(detail.modelList.map((m) => m.name)).toEqual(['arena-policy-alpha', 'arena-policy-beta']);
    expect((await listEvaluations({ projectId })).find((e) => e.id === ev.id)).toMatchObject({ name: 'alpha vs beta', status: 'OPEN', votesWanted: 6 });
  }, 120_000);

  it('serves an arena vote first, and neither the lease nor the view says which model wrote which reply', async () => {
    const labeler = await makeUser('LABELER', 'Arena voter');
    labelers.push(labeler);
    const lease = (await nextTask(labeler, { projectId }))!;
    expect(lease.kind).toBe('ARENA');
    const view = await getTaskView(lease.taskId, labeler);
    expect(view.kind).toBe('ARENA');
    expect(view.ranking).toBeNull();
    expect(view.suggestions).toBeNull();
    expect(view.arena!.left.text).toEqual(expect.any(String));
    expect(view.arena!.right.text).toEqual(expect.any(String));

    const secrets = [
      ...(await prisma.arenaModel.findMany({ where: { evaluationId } })).flatMap((m) => [m.id, m.name, m.checkpointId!]),
      ...(await prisma.arenaReply.findMany({ where: { evaluationId } })).map((r) => r.id),
      ...(await prisma.arenaBattle.findMany({ where: { evaluationId } })).map((b) => b.id),
      evaluationId,
      'alpha vs beta',
    ];
    const json = JSON.stringify({ lease, view });
    for (const s of secrets) expect(json, `the labeler's JSON holds ${s}`).not.toContain(s);
    const keys: string[] = [];
    JSON.parse(json, (k, v) => (keys.push(k), v));
    expect(keys.filter((k) => /model|checkpoint|swapped|battle|reply|evaluation/i.test(k))).toEqual([]);
  });

  it('maps the side voted to the battle order whichever side the labeler saw, and refuses other answers', async () => {
    // labelers until one sees the battle in order and one sees it swapped
    const battle = await prisma.arenaBattle.findFirstOrThrow({ where: { evaluationId, task: { assignments: { none: {} } } }, orderBy: { createdAt: 'asc' }, include: { task: true } });
    const seen = new Map<boolean, string>();
    while (seen.size < 2) {
      const id = await makeUser('LABELER', 'Arena voter');
      if (!seen.has(arenaSwapped(battle.displaySeed, id))) seen.set(arenaSwapped(battle.displaySeed, id), id);
    }
    const replyA = (await prisma.arenaReply.findUniqueOrThrow({ where: { id: battle.replyAId } })).text;
    for (const [swapped, userId] of seen) {
      // the labeler takes this battle (kind ARENA, project-wide: its other battles may come first)
      let lease = await nextTask(userId, { projectId, kind: 'ARENA' });
      while (lease && lease.taskId !== battle.task!.id) {
        await skipTask(lease.taskId, userId, 'testing another battle');
        lease = await nextTask(userId, { projectId, kind: 'ARENA' });
      }
      expect(lease?.taskId).toBe(battle.task!.id);
      const view = await getTaskView(battle.task!.id, userId);
      expect(view.arena![swapped ? 'right' : 'left'].text).toBe(replyA);
      await expect(submitTask(battle.task!.id, userId, { kind: 'ARENA', vote: 'middle' })).rejects.toThrow(/The vote is one of/);
      const out = await submitTask(battle.task!.id, userId, { kind: 'ARENA', vote: 'left', timeMs: 1200 }, `arena-vote-${userId}`);
      expect(out).toMatchObject({ kind: 'ARENA', duplicate: false });
      const again = await submitTask(battle.task!.id, userId, { kind: 'ARENA', vote: 'left' }, `arena-vote-${userId}`);
      expect(again).toMatchObject({ duplicate: true, submissionId: out.submissionId });
      const vote = await prisma.arenaVote.findFirstOrThrow({ where: { battleId: battle.id, userId } });
      expect(vote).toMatchObject({ winner: swapped ? 'MODEL_B' : 'MODEL_A', swapped, timeMs: 1200, evaluationId });
    }
    const task = await prisma.task.findUniqueOrThrow({ where: { id: battle.task!.id } });
    expect(task).toMatchObject({ doneCount: 2, status: 'DONE' });
    // a third labeler never gets this battle: it has its two votes
    const third = await makeUser('LABELER', 'Arena voter');
    const taken = [];
    for (let l = await nextTask(third, { projectId, kind: 'ARENA' }); l; l = await nextTask(third, { projectId, kind: 'ARENA' })) {
      taken.push(l.taskId);
      await skipTask(l.taskId, third, 'looking');
    }
    expect(taken).not.toContain(battle.task!.id);
    expect(taken).toHaveLength(2);
    expect((await getEvaluation(evaluationId)).votes).toBe(2);
  });

  it('closing stops serving, refuses a vote still on screen, keeps the votes', async () => {
    const holder = labelers[0];
    const held = (await nextTask(holder, { projectId }))!; // the lease held since the view test
    expect(held.resumed).toBe(true);
    const closed = await closeEvaluation(evaluationId, adminId);
    expect(closed.status).toBe('CLOSED');
    expect(closed.cancelledTasks).toBeGreaterThan(0);
    expect(await prisma.auditLog.count({ where: { action: 'arena.close', targetId: evaluationId } })).toBe(1);
    await expect(submitTask(held.taskId, holder, { kind: 'ARENA', vote: 'tie' })).rejects.toThrow(/evaluation was closed/);
    const late = await makeUser('LABELER', 'Late voter');
    expect(await nextTask(late, { projectId, kind: 'ARENA' })).toBeNull();
    expect(await prisma.arenaVote.count({ where: { evaluationId } })).toBe(2);
    expect((await closeEvaluation(evaluationId, adminId)).cancelledTasks).toBe(0);
  });
});
