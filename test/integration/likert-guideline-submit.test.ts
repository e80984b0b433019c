// Likert per completion (likertMode PER_COMPLETION: a rating for each completion is required,
// indices in range, 1–7; PER_RANKING accepts them too) and the guideline version the labeler saw
// (stored as posted; an older one is accepted and marked outdated; one that does not exist is
// refused). Both reach the judgements export.
import { afterAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db';
import { nextTask } from '../../lib/data/tasks/next-task';
import { getTaskView } from '../../lib/data/tasks/get-task-view';
import { makeProject, makeRankingSets, makeUser } from '../../lib/data/tasks/test-fixtures';
import { submitTask } from '../../lib/data/submissions/submit-task';
import { updateProject } from '../../lib/data/projects/update-project';
import { importPrompts } from '../../lib/data/prompts/import-prompts';
import { openExport } from '../../lib/data/exports/stream-export';
import { closeExportPools } from '../../lib/data/exports/cursor';
import { errorResponse } from '../../lib/http';
import type { LikertMode } from '../../lib/shared/collection';

afterAll(() => closeExportPools());

async function rankingLease(likertMode: LikertMode) {
  const projectId = await makeProject({ overlap: 1, mixDemonstration: 0, mixDialogue: 0, likertMode });
  await makeRankingSets(projectId, 1);
  const user = await makeUser();
  const lease = (await nextTask(user, { projectId }))!;
  return { projectId, user, taskId: lease.taskId };
}

const TIERS = [[0], [1], [2], [3]];

async function refusal(work: Promise<unknown>): Promise<{ status: number; message: string }> {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'the submit should have been refused').not.toBeNull();
  const res = errorResponse(err);
  return { status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message };
}

async function exported(projectId: string) {
  const parts: Buffer[] = [];
  for await (const c of (await openExport({ format: 'judgements', filter: { projectId } })).chunks) parts.push(c);
  return Buffer.concat(parts).toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('Likert per completion', () => {
  it('is required for every completion, in range and 1–7, then stored and exported', async () => {
    const { projectId, user, taskId } = await rankingLease('PER_COMPLETION');
    expect((await getTaskView(taskId, user)).likertMode).toBe('PER_COMPLETION');

    expect(await refusal(submitTask(taskId, user, { tiers: TIERS }))).toEqual({ status: 400, message: 'Rate every completion from 1 to 7 before submitting: completions 0, 1, 2, 3 have no rating yet.' });
    expect(await refusal(submitTask(taskId, user, { tiers: TIERS, likertPerCompletion: { '0': 5, '1': 4, '2': 3 } }))).toMatchObject({ status: 400, message: expect.stringContaining('completion 3 has no rating yet') });
    expect(await refusal(submitTask(taskId, user, { tiers: TIERS, likertPerCompletion: { '0': 5, '1': 4, '2': 3, '3': 2, '4': 1 } }))).toEqual({ status: 400, message: 'Likert ratings name completion 4, but this set has completions 0–3.' });
    expect(await refusal(submitTask(taskId, user, { tiers: TIERS, likertPerCompletion: { '0': 8, '1': 4, '2': 3, '3': 2 } }))).toMatchObject({ status: 400, message: expect.stringMatching(/whole number from 1 to 7/) });
    expect(await refusal(submitTask(taskId, user, { tiers: TIERS, likertPerCompletion: { first: 5 } }))).toMatchObject({ status: 400, message: expect.stringMatching(/keyed by completion index/) });
    expect(await prisma.judgement.count({ where: { taskId } })).toBe(0);

    const out = await submitTask(taskId, user, { tiers: TIERS, likertPerCompletion: { '3': 2, '0': 7, '1': 5, '2': 1 } });
    const j = await prisma.judgement.findUniqueOrThrow({ where: { id: out.submissionId } });
    expect(j.likertPerCompletion).toEqual({ '0': 7, '1': 5, '2': 1, '3': 2 });
    expect(j.likert).toBeNull();
    const [row] = await exported(projectId);
    expect(row).toMatchObject({ likert_per_completion: { '0': 7, '1': 5, '2': 1, '3': 2 }, likert: null, guideline_version: 1, guideline_outdated: false });
  });

  it('is optional in PER_RANKING projects, where the overall rating stays', async () => {
    const { user, taskId } = await rankingLease('PER_RANKING');
    const out = await submitTask(taskId, user, { tiers: TIERS, likert: 4 });
    const j = await prisma.judgement.findUniqueOrThrow({ where: { id: out.submissionId } });
    expect([j.likert, j.likertPerCompletion]).toEqual([4, null]);
  });
});

describe('the guideline version the labeler saw', () => {
  it('is stored as posted; a submit on an older version is accepted and marked outdated', async () => {
    const { projectId, user, taskId } = await rankingLease('PER_RANKING');
    const seen = (await getTaskView(taskId, user)).guidelineVersion;
    expect(seen).toBe(1);
    await updateProject(projectId, { guidelines: '# Be helpful, and cite sources' }, null); // version 2 while the labeler works
    expect(await refusal(submitTask(taskId, user, { tiers: TIERS, guidelineVersion: 3 }))).toEqual({
      status: 400,
      message: "Guideline version 3 does not exist: this project's latest is version 2. Reload the task to read them.",
    });
    const out = await submitTask(taskId, user, { tiers: TIERS, guidelineVersion: seen });
    const j = await prisma.judgement.findUniqueOrThrow({ where: { id: out.submissionId } });
    expect([j.guidelineVersion, j.guidelineOutdated]).toEqual([1, true]);
    const [row] = await exported(projectId);
    expect(row).toMatchObject({ guideline_version: 1, guideline_outdated: true });
  });

  it('is the latest, not outdated, when the current version is posted or none is (API clients)', async () => {
    const { projectId, user, taskId } = await rankingLease('PER_RANKING');
    await updateProject(projectId, { guidelines: 'v2' }, null);
    const out = await submitTask(taskId, user, { tiers: TIERS, guidelineVersion: 2 });
    expect(await prisma.judgement.findUniqueOrThrow({ where: { id: out.submissionId }, select: { guidelineVersion: true, guidelineOutdated: true } })).toEqual({ guidelineVersion: 2, guidelineOutdated: false });
    const other = await rankingLease('PER_RANKING');
    const out2 = await submitTask(other.taskId, other.user, { tiers: TIERS });
    expect(await prisma.judgement.findUniqueOrThrow({ where: { id: out2.submissionId }, select: { guidelineVersion: true, guidelineOutdated: true } })).toEqual({ guidelineVersion: 1, guidelineOutdated: false });
  });

  it('marks demonstrations too', async () => {
    const projectId = await makeProject({ overlap: 1, mixDemonstration: 1, mixDialogue: 0, mixRanking: 0 });
    await importPrompts(projectId, '{"prompt":"Say hi"}', 'jsonl', null);
    const user = await makeUser();
    const lease = (await nextTask(user, { projectId }))!;
    await updateProject(projectId, { guidelines: 'v2' }, null);
    const out = await submitTask(lease.taskId, user, { text: 'Hi!', guidelineVersion: 1 });
    expect(await prisma.demonstration.findUniqueOrThrow({ where: { id: out.submissionId }, select: { guidelineVersion: true, guidelineOutdated: true } })).toEqual({ guidelineVersion: 1, guidelineOutdated: true });
  });
});
