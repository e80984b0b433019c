// Issue #18: DPO as a round option, end to end on the nano preset with real Postgres, Redis and a
// worker process. sft → dpo → evaluate → publish publishes the DPO policy as the round's POLICY
// with TRL's metrics on its job; a second round, rm + dpo from that SFT checkpoint on the same
// snapshot, reads the reference log-probs from the cache and its RM scores the DPO policy in the
// evaluation; cancelling mid-DPO keeps the last
// checkpoint; bad launches are refused with words that name the reason (no preference to learn
// from, β ≤ 0 on its field, dpo with ppo, a snapshot of another project).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { prisma } from '../../lib/db';
import { launchRound } from '../../lib/data/rounds/launch-round';
import { preflightRound } from '../../lib/data/rounds/preflight';
import { cancelRound } from '../../lib/data/rounds/cancel-round';
import { getRound } from '../../lib/data/rounds/get-round';
import { stageUri } from '../../lib/data/training/paths';
import { createUser } from '../../lib/data/users/create-user';
import { createApiToken } from '../../lib/data/api-tokens/create-token';
import { createSimProjectInProcess } from '../../lib/sim/seed-in-process';
import { closeQueues } from '../../lib/queue/connection';
import { closeFlowProducer } from '../../lib/queue/flows';
import { closeInferEvents } from '../../lib/queue/infer';
import { POST as postRound } from '../../app/api/rounds/route';
import { TINY, roundState, seededProject, startWorker, stopWorker, waitFor } from './loop-helpers';

const DPO = { steps: 4, batchSize: 4, microBatchSize: 4, checkpointEvery: 2, evalEvery: 2, lr: 1e-4 };
const SETTINGS = { ...TINY, dpo: DPO };

let worker: ChildProcess | undefined;
let projectId: string;
let first: { roundId: string; snapshotId: string; sftId: string } | null = null;

const finished = (id: string, ms: number) => waitFor('the round to finish', () => roundState(id), (s) => s.status !== 'QUEUED' && s.status !== 'RUNNING', ms);
const logsOf = async (jobId: string) => (await prisma.jobLog.findMany({ where: { jobId }, select: { message: true }, orderBy: { createdAt: 'asc' } })).map((l) => l.message);

beforeAll(async () => {
  const seeded = await seededProject('DPO round', { prompts: 16 });
  projectId = seeded.project.id;
  expect(seeded.report.rankings).toBeGreaterThan(0);
  worker = startWorker('dpo');
}, 180_000);

afterAll(async () => {
  await stopWorker(worker);
  await closeFlowProducer();
  await closeInferEvents();
  await closeQueues();
});

describe('a DPO round on the nano preset', () => {
  it('pre-flight counts the rankings DPO would train on, like the reward model', async () => {
    const p = await preflightRound({ projectId, start: 'new', preset: 'nano', stages: ['sft', 'dpo'], settings: SETTINGS });
    expect(p.ok).toBe(true);
    expect(p.stages.map((s) => s.stage)).toEqual(['sft', 'dpo']);
    const dpo = p.stages.find((s) => s.stage === 'dpo')!;
    expect(dpo).toMatchObject({ title: 'DPO (rankings)', problem: null, limit: 0.2 });
    expect(dpo.used).toBeGreaterThan(0);
    expect(dpo.used + dpo.skipped).toBe(dpo.total);
    // With an rm stage beside it the RM trains first (it only evaluates); both judge the same rankings.
    const withRm = await preflightRound({ projectId, start: 'new', preset: 'nano', stages: ['sft', 'rm', 'dpo'], settings: SETTINGS });
    expect(withRm.stages.map((s) => s.stage)).toEqual(['sft', 'rm', 'dpo']);
    expect(withRm.stages[2].used).toBe(withRm.stages[1].used);
  });

  it('runs sft → dpo → evaluate → publish and publishes the DPO policy', async () => {
    const r = await launchRound({ projectId, start: 'new', preset: 'nano', stages: ['sft', 'dpo'], settings: SETTINGS }, null);
    expect(r.stages).toEqual(['PRETRAIN', 'SFT', 'DPO', 'EVALUATE', 'PUBLISH']);
    const done = await finished(r.id, 170_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.jobs.map((j) => j.status)).toEqual(Array(5).fill('SUCCEEDED'));

    const round = await prisma.trainingRound.findUniqueOrThrow({ where: { id: r.id }, select: { stages: true, snapshotId: true } });
    expect(round.stages).toEqual(['pretrain', 'sft', 'dpo', 'evaluate', 'publish']);
    const dpoJob = done.jobs.find((j) => j.stage === 'DPO')!;
    const cks = await prisma.checkpoint.findMany({ where: { roundId: r.id }, select: { id: true, kind: true, parentId: true, uri: true, jobId: true, status: true } });
    const by = Object.fromEntries(cks.map((c) => [c.kind, c]));
    expect(Object.keys(by).sort()).toEqual(['BASE', 'POLICY', 'SFT']);
    // The policy is DPO's folder, made by the DPO job, from the SFT model.
    expect(by.POLICY).toMatchObject({ uri: stageUri(projectId, r.id, 'dpo'), jobId: dpoJob.id, parentId: by.SFT.id, status: 'READY' });

    const view = await getRound(r.id);
    // The round's DTO names the policy's folder (what the bench loads).
    expect(view.checkpoints.find((c) => c.kind === 'POLICY')).toMatchObject({ uri: stageUri(projectId, r.id, 'dpo') });
    const dpo = view.jobs.find((j) => j.stage === 'DPO')!;
    expect(dpo.metrics.map((m) => m.step)).toEqual(expect.arrayContaining([1, 2, 3, 4]));
    expect(Object.keys(dpo.metrics[0].values)).toEqual(expect.arrayContaining(['loss', 'rewards/chosen', 'rewards/rejected', 'rewards/accuracies', 'rewards/margins']));
    expect(dpo.metrics.some((m) => typeof m.values['eval_rewards/accuracies'] === 'number')).toBe(true);
    expect(dpo.dataReport).toMatchObject({ stage: 'dpo', skipped: 0 });
    const log = await logsOf(dpoJob.id);
    expect(log.join('\n')).toMatch(/^DPO \(sigmoid, β 0\.1\) on \d+ rankings \(\d+ held out; \d+ preference pairs in all\); reference log-probs computed by the reference model/m);
    // The evaluate stage ran on the DPO policy, without a reward model.
    expect(view.evaluation).toMatchObject({ rmAccuracy: null, rmPairs: 0 });
    expect(view.evaluation!.prompts).toBeGreaterThan(0);
    expect(Number.isFinite(view.evaluation!.kl)).toBe(true);
    const evalJob = done.jobs.find((j) => j.stage === 'EVALUATE')!;
    expect((await logsOf(evalJob.id)).join('\n')).toMatch(/Evaluation (passed|FAILED): no reward model in this round/);
    first = { roundId: r.id, snapshotId: round.snapshotId!, sftId: by.SFT.id };
  }, 200_000);

  it('trains DPO from that SFT checkpoint on the same snapshot, reading the reference log-probs from the cache; an rm stage beside it only evaluates', async () => {
    expect(first).not.toBeNull();
    const r = await launchRound({ projectId, start: first!.sftId, stages: ['rm', 'dpo'], snapshotId: first!.snapshotId, settings: SETTINGS }, null);
    expect(r.stages).toEqual(['RM', 'DPO', 'EVALUATE', 'PUBLISH']);
    const round = await prisma.trainingRound.findUniqueOrThrow({ where: { id: r.id }, select: { snapshotId: true } });
    expect(round.snapshotId).toBe(first!.snapshotId);
    const done = await finished(r.id, 120_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCEEDED');
    const dpoJob = done.jobs.find((j) => j.stage === 'DPO')!;
    expect((await logsOf(dpoJob.id)).join('\n')).toMatch(/reference log-probs read from the cache of this snapshot/);
    const policy = await prisma.checkpoint.findFirstOrThrow({ where: { roundId: r.id, kind: 'POLICY' }, select: { parentId: true, uri: true, snapshotId: true } });
    expect(policy).toMatchObject({ parentId: first!.sftId, uri: stageUri(projectId, r.id, 'dpo'), snapshotId: first!.snapshotId });
    // The RM trained beside DPO scores the DPO policy in the evaluation; it is published too.
    expect(await prisma.checkpoint.count({ where: { roundId: r.id, kind: 'RM' } })).toBe(1);
    const view = await getRound(r.id);
    expect(view.evaluation!.rmAccuracy).toEqual(expect.any(Number));
    expect(view.evaluation!.rmPairs).toBeGreaterThan(0);
    const evalJob = done.jobs.find((j) => j.stage === 'EVALUATE')!;
    expect((await logsOf(evalJob.id)).join('\n')).toMatch(/Evaluation (passed|FAILED): RM accuracy [\d.]+ \(\d+ pairs\), mean RM score/);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'round.launch', targetId: r.id }, select: { data: true } });
    expect(audit.data).toMatchObject({ reusedSnapshotId: first!.snapshotId });
  }, 150_000);

  it('cancels mid-DPO at the next step and keeps the last checkpoint', async () => {
    expect(first).not.toBeNull();
    const r = await launchRound({ projectId, start: first!.sftId, stages: ['dpo'], snapshotId: first!.snapshotId, settings: { ...SETTINGS, dpo: { ...DPO, steps: 5000, evalEvery: 1000 } } }, null);
    await waitFor('DPO to checkpoint', () => roundState(r.id), (s) => !!s.jobs.find((j) => j.stage === 'DPO')?.resumeUri, 90_000);
    expect((await cancelRound(r.id, null)).status).toBe('CANCELLING');
    const s = await waitFor('the round to stop', () => roundState(r.id), (x) => x.status === 'CANCELLED' && x.jobs.every((j) => j.status !== 'RUNNING'), 60_000);
    const dpo = s.jobs.find((j) => j.stage === 'DPO')!;
    expect(dpo.status).toBe('CANCELLED');
    expect(dpo.step).toBeLessThan(5000);
    expect(dpo.resumeUri).toMatch(/step-\d+$/);
    expect((await logsOf(dpo.id)).join('\n')).toMatch(/Cancelled at step \d+; the last checkpoint is kept/);
  }, 120_000);

  it('refuses bad launches with words that name the reason', async () => {
    // DPO with PPO: one policy stage per round.
    await expect(launchRound({ projectId, stages: ['sft', 'rm', 'ppo', 'dpo'], settings: SETTINGS }, null)).rejects.toMatchObject({
      message: expect.stringMatching(/^Pick ppo or dpo, not both/),
      details: [{ path: 'stages', message: 'Pick ppo or dpo, not both.' }],
    });

    // β = 0 through the API: a 400 whose details put the schema's words on the form's field.
    const admin = await createUser({ email: `dpo-admin-${Date.now()}@dpo.test`, name: 'DPO admin', password: 'dpo-admin-password-1', role: 'ADMIN' }, { id: null });
    const { secret } = await createApiToken(admin.id, { name: 'dpo test' });
    const res = await postRound(
      new Request('http://localhost/api/rounds', {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ projectId, stages: ['sft', 'dpo'], settings: { dpo: { beta: 0 } } }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.details).toContainEqual({ path: 'settings.dpo.beta', message: 'β must be above 0 (it scales the implicit reward; TRL uses 0.1)' });

    // A snapshot that is missing, or another project's.
    const other = await createSimProjectInProcess({ name: 'DPO other', prompts: 4, k: 4 });
    const foreign = await prisma.datasetSnapshot.create({ data: { projectId: other.id, kind: 'ROUND', filter: {}, rowCount: 0, sha256: '0'.repeat(64), manifest: {} }, select: { id: true } });
    await expect(launchRound({ projectId, stages: ['sft', 'dpo'], snapshotId: foreign.id, settings: SETTINGS }, null)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: `snapshotId: snapshot ${foreign.id} belongs to another project; a round trains only on its own project's data.`,
    });
    await expect(launchRound({ projectId, stages: ['sft', 'dpo'], snapshotId: 'no-such-snapshot', settings: SETTINGS }, null)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'snapshotId: no snapshot no-such-snapshot.',
    });

    // No rankings at all (a project with prompts only): DPO has nothing to learn from.
    await expect(launchRound({ projectId: other.id, start: 'new', preset: 'nano', stages: ['dpo'], settings: SETTINGS }, null)).rejects.toMatchObject({
      message: 'DPO needs rankings with at least one preference: this snapshot has no rankings. Have labelers rank completion sets (at least two tiers), or launch without the dpo stage.',
      details: [{ path: 'stages', message: expect.stringMatching(/^DPO needs rankings/) }],
    });

    // Every ranking a tie: refused at launch, and the pre-flight panel says so on DPO's line.
    const judgements = await prisma.judgement.findMany({ where: { projectId }, select: { id: true, tiers: true } });
    try {
      for (const j of judgements) await prisma.judgement.update({ where: { id: j.id }, data: { tiers: [(j.tiers as number[][]).flat()] } });
      const n = judgements.length;
      const why = `DPO needs rankings with at least one preference: this snapshot's ${n} rankings are all ties. Have labelers rank completion sets (at least two tiers), or launch without the dpo stage.`;
      const p = await preflightRound({ projectId, stages: ['sft', 'dpo'], settings: SETTINGS });
      expect(p.ok).toBe(false);
      expect(p.stages.find((s) => s.stage === 'dpo')!.problem).toBe(why);
      await expect(launchRound({ projectId, stages: ['sft', 'dpo'], settings: SETTINGS }, null)).rejects.toMatchObject({ message: why });
    } finally {
      for (const j of judgements) await prisma.judgement.update({ where: { id: j.id }, data: { tiers: j.tiers as number[][] } });
    }
    // Nothing above made a round.
    expect(await prisma.trainingRound.count({ where: { projectId: other.id } })).toBe(0);
  });
});
