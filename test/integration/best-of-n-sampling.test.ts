// Best-of-n sampling through the real sample queue (a worker child on WebAssembly): with the
// project's bestOf 3 every stored completion is the reward model's best of 3 samples, and the
// set records bestOf, the RM and the seed; the RM is the policy round's own, else the newest of
// the preset; with none the job warns and samples plainly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { prisma } from '../../lib/db';
import { closeQueues } from '../../lib/queue/connection';
import { makeProject } from '../../lib/data/tasks/test-fixtures';
import { importPrompts } from '../../lib/data/prompts/import-prompts';
import { requestSampling } from '../../lib/data/sampling/request-sampling';
import { bestOfRewardModel } from '../../lib/data/sampling/best-of-reward-model';
import { checkpointRoot } from '../../lib/data/training/paths';
import { initBackend } from '../../lib/ml/backend';
import { GPT } from '../../lib/ml/model/gpt';
import { PRESETS } from '../../lib/ml/model/config';
import { RewardModel } from '../../lib/ml/heads';
import { createTokenizer } from '../../lib/ml/tokenizer';
import { saveLanguageModel, saveRewardModel } from '../../lib/ml/pipeline/save-models';
import { loadLanguageModel, loadRewardModel } from '../../lib/ml/pipeline/load-models';
import { bestOfN } from '../../lib/ml/best-of-n';
import { newId } from '../../lib/shared/ids';
import { startWorker, stopWorker, waitFor } from './loop-helpers';

const tok = createTokenizer('byte');
const sampling = { temperature: 1.2, topP: 1, maxTokens: 8, maxPrompts: 10, bestOf: 3 };
let worker: ChildProcess;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  worker = startWorker('best-of', 'sample', { HONE_TF_BACKEND: 'wasm' });
});
afterAll(async () => {
  await stopWorker(worker);
  await closeQueues();
  await prisma.$disconnect();
});

/** A nano checkpoint folder under the checkpoint root and its row; RM heads are drawn from `seed`. */
async function checkpoint(projectId: string, kind: 'POLICY' | 'RM', seed: number, roundId: string | null = null) {
  const uri = path.posix.join(projectId, `bon-${newId()}`);
  const gpt = new GPT(PRESETS.nano, { seed });
  if (kind === 'RM') {
    const rm = new RewardModel(gpt, undefined, seed);
    await saveRewardModel(path.join(checkpointRoot(), uri), rm, tok, { stage: 'rm', step: 0 });
    rm.dispose();
  } else {
    await saveLanguageModel(path.join(checkpointRoot(), uri), gpt, tok, { stage: 'policy', step: 0 });
    gpt.dispose();
  }
  return prisma.checkpoint.create({ data: { projectId, kind, name: `${kind.toLowerCase()}-${seed}`, preset: 'nano', uri, roundId }, select: { id: true, name: true, uri: true } });
}

async function project(prompts: string[]) {
  const id = await makeProject({ k: 4, overlap: 1, samplingParams: sampling });
  await importPrompts(id, prompts.map((text) => JSON.stringify({ text })).join('\n'), 'jsonl', null);
  const round = await prisma.trainingRound.create({ data: { projectId: id, number: 1, preset: 'nano', config: {}, stages: ['sft', 'rm'], status: 'SUCCEEDED' } });
  return { id, roundId: round.id };
}

describe('best-of-n sampling', () => {
  it("picks the policy round's RM over a newer one of the preset, the preset's newest without a round, none without any RM", async () => {
    const p = await project(['One question?']);
    const ownRm = await checkpoint(p.id, 'RM', 11, p.roundId);
    const newer = await checkpoint(p.id, 'RM', 12);
    const inRound = await checkpoint(p.id, 'POLICY', 1, p.roundId);
    const loose = await checkpoint(p.id, 'POLICY', 2);
    expect(await bestOfRewardModel(inRound.id)).toMatchObject({ id: ownRm.id, source: 'same round' });
    expect(await bestOfRewardModel(loose.id)).toMatchObject({ id: newer.id, source: 'newest of the preset' });
    const bare = await project(['Another question?']);
    expect(await bestOfRewardModel((await checkpoint(bare.id, 'POLICY', 3)).id)).toBeNull();
  });

  it('stores, for each of the K completions, the best of 3 samples by the round’s RM, and records how', async () => {
    const prompts = ['Tell me about tea.', 'Why is the sky blue?', 'Name a river.'];
    const p = await project(prompts);
    const rmRow = await checkpoint(p.id, 'RM', 21, p.roundId);
    const pol = await checkpoint(p.id, 'POLICY', 5, p.roundId);
    const req = await requestSampling(p.id, { checkpointId: pol.id });
    expect(req.queued).toBe(true);
    await waitFor('the sample job', () => prisma.trainingJob.findUniqueOrThrow({ where: { id: (req as { jobId: string }).jobId }, select: { status: true, error: true } }), (j) => j.status !== 'QUEUED' && j.status !== 'RUNNING', 120_000);
    const logs = await prisma.jobLog.findMany({ where: { jobId: (req as { jobId: string }).jobId }, select: { message: true } });
    expect(logs.map((l) => l.message).join('\n')).toMatch(/each completion the best of 3 by reward model rm-21/);

    const sets = await prisma.completionSet.findMany({
      where: { projectId: p.id },
      select: { samplingParams: true, prompt: { select: { text: true, createdAt: true } }, completions: { orderBy: { index: 'asc' }, select: { text: true } } },
    });
    expect(sets).toHaveLength(3);
    const params = sets.map((s) => s.samplingParams as { bestOf: number; rewardModel: { id: string; name: string }; seed: number; temperature: number });
    for (const sp of params) expect(sp).toMatchObject({ bestOf: 3, rewardModel: { id: rmRow.id, name: 'rm-21' }, temperature: 1.2, maxTokens: 8 });
    expect(new Set(params.map((sp) => sp.seed)).size).toBe(1); // three prompts: one batch, one seed

    // Replay the batch here with the recorded seed: the worker stored exactly the RM's picks.
    sets.sort((a, b) => a.prompt.createdAt.getTime() - b.prompt.createdAt.getTime());
    const policy = await loadLanguageModel(path.join(checkpointRoot(), pol.uri));
    const { rm } = await loadRewardModel(path.join(checkpointRoot(), rmRow.uri));
    const contexts = sets.flatMap((s) => [0, 1, 2, 3].map(() => [{ role: 'user' as const, content: s.prompt.text }]));
    const picks = await bestOfN({ policy: policy.model, rm, tokenizer: policy.tokenizer, contexts, n: 3, generate: { maxNewTokens: 8, temperature: 1.2, topP: 1, seed: params[0].seed, batchSize: 16 } });
    expect(sets.flatMap((s) => s.completions.map((c) => c.text))).toEqual(picks.map((x) => x.text));
    for (const x of picks) for (const c of x.candidates) expect(x.score).toBeGreaterThanOrEqual(c.score);
    expect(picks.some((x) => x.text !== x.candidates[0].text)).toBe(true); // the RM chose, not the sampler's order
    policy.model.dispose();
    rm.dispose();
  });

  it('without a reward model it warns in the job log and samples plainly', async () => {
    const p = await project(['A lonely question?']);
    const pol = await checkpoint(p.id, 'POLICY', 7, p.roundId);
    const req = await requestSampling(p.id, { checkpointId: pol.id });
    const jobId = (req as { jobId: string }).jobId;
    await waitFor('the sample job', () => prisma.trainingJob.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } }), (j) => j.status === 'SUCCEEDED', 120_000);
    const logs = await prisma.jobLog.findMany({ where: { jobId }, select: { level: true, message: true } });
    expect(logs).toContainEqual({ level: 'warn', message: expect.stringMatching(/Best of 3 is set, but this project has no ready reward model.*sampled plainly/) });
    const set = await prisma.completionSet.findFirstOrThrow({ where: { projectId: p.id }, select: { samplingParams: true } });
    expect(set.samplingParams).toEqual({ temperature: 1.2, topP: 1, maxTokens: 8 });
  });
});
