// The loop end to end on the nano preset with real Postgres, Redis and a worker process: a round
// (new base → SFT → RM → PPO → evaluate → publish) completes and publishes SFT/RM/POLICY with
// lineage; promotion samples the next ranking tasks from the new policy; bad input is refused
// with clear messages; a cancelled round stops at the next step and keeps its last checkpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { prisma } from '../../lib/db';
import { launchRound } from '../../lib/data/rounds/launch-round';
import { cancelRound } from '../../lib/data/rounds/cancel-round';
import { getRound } from '../../lib/data/rounds/get-round';
import { promoteAndSample, promoteCheckpoint } from '../../lib/data/checkpoints/promote-checkpoint';
import { createProject } from '../../lib/data/projects/create-project';
import { ProjectInput } from '../../lib/shared/schemas';
import { nextTask } from '../../lib/data/tasks/next-task';
import { closeQueues } from '../../lib/queue/connection';
import { closeInferEvents } from '../../lib/queue/infer';
import { createUser } from '../../lib/data/users/create-user';
import { createApiToken } from '../../lib/data/api-tokens/create-token';
import { POST as chatCompletions } from '../../app/v1/chat/completions/route';
import { closeFlowProducer } from '../../lib/queue/flows';
import { TINY, roundState, seededProject, startWorker, stopWorker, waitFor } from './loop-helpers';

let worker: ChildProcess | undefined;
let seeded: Awaited<ReturnType<typeof seededProject>>;

beforeAll(async () => {
  seeded = await seededProject('Loop round');
  worker = startWorker('round');
}, 120_000);

afterAll(async () => {
  await stopWorker(worker);
  await closeFlowProducer();
  await closeInferEvents();
  await closeQueues();
});

describe('a training round on the nano preset', () => {
  it('runs base → sft → rm → ppo → evaluate → publish and publishes checkpoints with lineage', async () => {
    expect(seeded.report.demonstrations).toBeGreaterThan(0);
    expect(seeded.report.rankings).toBeGreaterThan(0);
    const r = await launchRound({ projectId: seeded.project.id, start: 'new', preset: 'nano', settings: TINY }, null);
    expect(r.stages).toEqual(['PRETRAIN', 'SFT', 'RM', 'PPO', 'EVALUATE', 'PUBLISH']);
    expect(r.snapshotSha).toMatch(/^[0-9a-f]{64}$/);
    const done = await waitFor('the round to finish', () => roundState(r.id), (s) => s.status !== 'QUEUED' && s.status !== 'RUNNING', 150_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.jobs.map((j) => j.status)).toEqual(Array(6).fill('SUCCEEDED'));

    const cks = await prisma.checkpoint.findMany({ where: { roundId: r.id }, select: { id: true, kind: true, parentId: true, status: true, snapshotSha: true, active: true } });
    const by = Object.fromEntries(cks.map((c) => [c.kind, c]));
    expect(Object.keys(by).sort()).toEqual(['BASE', 'POLICY', 'RM', 'SFT']);
    expect(by.SFT.parentId).toBe(by.BASE.id);
    expect(by.RM.parentId).toBe(by.SFT.id);
    expect(by.POLICY.parentId).toBe(by.SFT.id);
    expect(by.POLICY.snapshotSha).toBe(r.snapshotSha);
    expect(by.POLICY.active).toBe(false);

    const view = await getRound(r.id);
    expect(view.evaluation).not.toBeNull();
    expect(view.evaluation!.samples.length).toBe(2);
    const ppo = view.jobs.find((j) => j.stage === 'PPO')!;
    expect(ppo.metrics.map((m) => m.step)).toEqual([1, 2, 3, 4]);
    expect(Object.keys(ppo.metrics[0].values)).toEqual(expect.arrayContaining(['score', 'kl', 'entropy']));

    // Promote: the policy becomes active and samples the next ranking tasks.
    const promoted = await promoteAndSample(by.POLICY.id, { actorId: null });
    expect(promoted.sampling.queued).toBe(true);
    const sets = await waitFor('sampled completion sets', () => prisma.completionSet.count({ where: { checkpointId: by.POLICY.id } }), (n) => n > 0, 60_000);
    expect(sets).toBeGreaterThan(0);
    const lease = await nextTask(seeded.labelers[0].id, { projectId: seeded.project.id, kind: 'RANKING' });
    expect(lease).not.toBeNull();
    const task = await prisma.task.findUniqueOrThrow({ where: { id: lease!.taskId }, select: { completionSet: { select: { checkpointId: true, completions: { select: { id: true } } } } } });
    expect(task.completionSet?.checkpointId).toBe(by.POLICY.id);
    expect(task.completionSet?.completions).toHaveLength(4);

    // The OpenAI-compatible endpoint answers with the active policy, plain and streaming.
    const user = await createUser({ email: `researcher-${Date.now()}@loop.test`, name: 'Researcher', password: 'researcher-password-1', role: 'RESEARCHER' }, { id: null });
    const { secret } = await createApiToken(user.id, { name: 'loop test' });
    const slug = (await prisma.project.findUniqueOrThrow({ where: { id: seeded.project.id }, select: { slug: true } })).slug;
    const ask = (body: object, token = secret) =>
      chatCompletions(new Request('http://localhost/v1/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    const plain = await ask({ model: slug, messages: [{ role: 'user', content: 'What is a cat?' }], max_tokens: 8 });
    expect(plain.status).toBe(200);
    const json = await plain.json();
    expect(json).toMatchObject({ object: 'chat.completion', model: slug, choices: [{ index: 0, message: { role: 'assistant' } }] });
    expect(typeof json.choices[0].message.content).toBe('string');
    expect(json.usage.completion_tokens).toBeLessThanOrEqual(8);
    const streamed = await ask({ model: slug, stream: true, messages: [{ role: 'user', content: 'What is a dog?' }], max_tokens: 12 });
    expect(streamed.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = (await streamed.text()).split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks[0]).toMatchObject({ object: 'chat.completion.chunk', choices: [{ delta: { role: 'assistant' } }] });
    expect(chunks.at(-1).choices[0].finish_reason).toMatch(/stop|length/);
    expect((await ask({ messages: [{ role: 'user', content: 'hi' }] }, 'hone_wrong')).status).toBe(401);
    expect((await ask({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] })).status).toBe(404);
  }, 240_000);

  it('refuses bad input with clear messages', async () => {
    const empty = await createProject(ProjectInput.parse({ name: 'Loop empty' }), null);
    await expect(launchRound({ projectId: empty.id, start: 'new' }, null)).rejects.toThrow(/no demonstrations or dialogues/);
    await expect(launchRound({ projectId: seeded.project.id, settings: { ppo: { steps: -3 } } }, null)).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ['settings', 'ppo', 'steps'] })] });
    await expect(launchRound({ projectId: seeded.project.id, settings: { sft: { steps: 1e9 } } }, null)).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ['settings', 'sft', 'steps'], message: 'must be at most 100000 (got 1000000000)' })] });
    await expect(launchRound({ projectId: seeded.project.id, settings: { sft: { nope: 1 } } }, null)).rejects.toThrow();
    await expect(launchRound({ projectId: seeded.project.id, stages: ['sft', 'ppo'] }, null)).rejects.toThrow(/PPO needs the reward model/);

    const policy = await prisma.checkpoint.findFirstOrThrow({ where: { projectId: seeded.project.id, kind: 'POLICY' }, select: { id: true } });
    await expect(promoteCheckpoint(policy.id, { projectId: empty.id, actorId: null })).rejects.toThrow(/another project/);
    const rm = await prisma.checkpoint.findFirstOrThrow({ where: { projectId: seeded.project.id, kind: 'RM' }, select: { id: true } });
    await expect(promoteCheckpoint(rm.id, { actorId: null })).rejects.toThrow(/only POLICY checkpoints/);
    await prisma.checkpoint.update({ where: { id: policy.id }, data: { status: 'FAILED_EVAL' } });
    try {
      await expect(promoteCheckpoint(policy.id, { actorId: null })).rejects.toThrow(/failed its evaluation/);
    } finally {
      await prisma.checkpoint.update({ where: { id: policy.id }, data: { status: 'READY' } });
    }
  });

  it('cancels at the next step and keeps the last checkpoint', async () => {
    const r = await launchRound(
      { projectId: seeded.project.id, start: 'auto', preset: 'nano', settings: { ...TINY, sft: { ...TINY.sft, steps: 5000, checkpointEvery: 2, evalEvery: 1000 } } },
      null,
    );
    await waitFor('SFT to checkpoint', () => roundState(r.id), (s) => !!s.jobs.find((j) => j.stage === 'SFT')?.resumeUri, 90_000);
    const res = await cancelRound(r.id, null);
    expect(res.status).toBe('CANCELLING');
    const s = await waitFor('the round to stop', () => roundState(r.id), (x) => x.status === 'CANCELLED' && x.jobs.every((j) => j.status !== 'RUNNING'), 60_000);
    const sft = s.jobs.find((j) => j.stage === 'SFT')!;
    expect(sft.status).toBe('CANCELLED');
    expect(sft.step).toBeLessThan(5000);
    expect(sft.resumeUri).toMatch(/step-\d+$/);
    expect(s.jobs.filter((j) => j.stage !== 'SFT').every((j) => j.status === 'CANCELLED')).toBe(true);
    const logs = await prisma.jobLog.findMany({ where: { jobId: sft.id, level: 'warn' }, select: { message: true } });
    expect(logs.map((l) => l.message).join('\n')).toMatch(/Cancelled at step \d+; the last checkpoint is kept/);
  }, 120_000);
});
