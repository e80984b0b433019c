import { afterAll, describe, expect, it } from 'vitest';
import { prisma } from '../../db';
import { nextTask } from '../tasks/next-task';
import { makeProject, makeRankingSets, makeUser } from '../tasks/test-fixtures';
import { saveDraft } from '../drafts/save-draft';
import { submitTask } from './submit-task';
import { submitRanking } from './submit-ranking';
import { submitDemonstration } from './submit-demonstration';
import { displayOrder } from '../../shared/labeling';

afterAll(() => prisma.$disconnect());

async function rankingLease(overlap = 3) {
  const projectId = await makeProject({ overlap, mixDemonstration: 0, mixDialogue: 0 });
  await makeRankingSets(projectId, 1);
  const user = await makeUser();
  const lease = (await nextTask(user, { projectId }))!;
  return { projectId, user, lease };
}

async function snapshot(taskId: string) {
  const [task, assignments, judgements] = await Promise.all([
    prisma.task.findUnique({ where: { id: taskId }, select: { doneCount: true, activeCount: true, status: true } }),
    prisma.assignment.findMany({ where: { taskId }, select: { status: true, draft: true, submissionKey: true } }),
    prisma.judgement.count({ where: { taskId } }),
  ]);
  return { task, assignments, judgements };
}

describe('submit ranking', () => {
  it('stores the judgement raw with display order and guideline version, and completes the slot', async () => {
    const { user, lease } = await rankingLease(1);
    const out = await submitTask(lease.taskId, user, { kind: 'RANKING', tiers: [[2], [0, 3], [1]], flags: { '1': ['hallucination'], '3': [] }, likert: 5, comment: ' fine ', timeMs: 1234 }, 'key-aaaaaaaa');
    expect(out.duplicate).toBe(false);
    const j = await prisma.judgement.findUniqueOrThrow({ where: { id: out.submissionId } });
    expect(j.tiers).toEqual([[2], [0, 3], [1]]);
    expect(j.flags).toEqual({ '1': ['hallucination'] });
    expect(j.likert).toBe(5);
    expect(j.comment).toBe('fine');
    expect(j.timeMs).toBe(1234);
    expect(j.guidelineVersion).toBe(1);
    const set = await prisma.completionSet.findUniqueOrThrow({ where: { id: j.setId } });
    expect(j.displayOrder).toEqual(displayOrder(4, set.displaySeed, user));
    const t = await prisma.task.findUniqueOrThrow({ where: { id: lease.taskId } });
    expect([t.doneCount, t.activeCount, t.status]).toEqual([1, 0, 'DONE']);
  });

  it('is idempotent: the same key twice (even concurrently) stores one judgement', async () => {
    const { user, lease } = await rankingLease();
    const body = { tiers: [[0], [1], [2], [3]], allBad: false, flags: {} };
    const [a, b] = await Promise.all([submitRanking(lease.taskId, user, body, 'same-key-1'), submitRanking(lease.taskId, user, body, 'same-key-1')]);
    expect(a.submissionId).toBe(b.submissionId);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    const c = await submitRanking(lease.taskId, user, body, 'same-key-1');
    expect(c).toMatchObject({ submissionId: a.submissionId, duplicate: true });
    await expect(submitRanking(lease.taskId, user, body, 'other-key-2')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await prisma.judgement.count({ where: { taskId: lease.taskId } })).toBe(1);
    const t = await prisma.task.findUniqueOrThrow({ where: { id: lease.taskId } });
    expect([t.doneCount, t.activeCount]).toEqual([1, 0]);
  });

  it('rejects rankings that omit or repeat a completion, bad flags or likert, and changes nothing', async () => {
    const { user, lease } = await rankingLease();
    await saveDraft(lease.taskId, user, { tiers: [[0, 1, 2, 3]] });
    const before = await snapshot(lease.taskId);
    const bad: [unknown, RegExp][] = [
      [{ tiers: [[0], [1], [2]] }, /omits completion 3/],
      [{ tiers: [[0], [1, 1], [2], [3]] }, /appears twice/],
      [{ tiers: [[0], [1], [2], [3], [4]] }, /names completion 4/],
      [{ tiers: [] }, /empty/],
      [{ tiers: [[0], [], [1, 2, 3]] }, /Tier 2 is empty/],
      [{ tiers: [[0], [1], [2], [3]], likert: 9 }, /Likert/],
      [{ tiers: [[0], [1], [2], [3]], flags: { '7': ['hallucination'] } }, /completion 7/],
      [{ tiers: [[0], [1], [2], [3]], flags: { '0': ['nonsense'] } }, /Invalid option|expected one of/i],
      [{ tiers: [[0], [1], [2], [3]], comment: 'x'.repeat(3000) }, /Comment/],
      [{ tiers: [[0], [1], [2], [3]], surprise: true }, /Unrecognized key|unrecognized/i],
    ];
    for (const [body, msg] of bad) {
      await expect(submitTask(lease.taskId, user, { kind: 'RANKING', ...(body as object) }, 'k-bad-input')).rejects.toThrow(msg);
    }
    expect(await snapshot(lease.taskId)).toEqual(before);
  });

  it('refuses unknown tasks and tasks of another labeler', async () => {
    const { lease } = await rankingLease();
    const stranger = await makeUser();
    const before = await snapshot(lease.taskId);
    await expect(submitTask('no-such-task', stranger, { kind: 'RANKING', tiers: [[0], [1], [2], [3]] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(submitTask(lease.taskId, stranger, { kind: 'RANKING', tiers: [[0], [1], [2], [3]] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(saveDraft(lease.taskId, stranger, { x: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await snapshot(lease.taskId)).toEqual(before);
  });
});

describe('submit demonstration', () => {
  it('stores the answer; empty or oversized text is refused and changes nothing', async () => {
    const projectId = await makeProject({ mixDialogue: 0 });
    const { importPrompts } = await import('../prompts/import-prompts');
    await importPrompts(projectId, '{"text":"Explain tides"}', 'jsonl', null);
    const user = await makeUser();
    const lease = (await nextTask(user, { projectId, kind: 'DEMONSTRATION' }))!;
    const before = await snapshot(lease.taskId);
    await expect(submitDemonstration(lease.taskId, user, { text: '   ' })).rejects.toThrow(/empty/);
    await expect(submitDemonstration(lease.taskId, user, { text: 'a'.repeat(20_001) })).rejects.toThrow(/longer than/);
    await expect(submitTask(lease.taskId, user, { kind: 'RANKING', tiers: [[0]] })).rejects.toThrow(/not a ranking/);
    expect(await snapshot(lease.taskId)).toEqual(before);
    const out = await submitTask(lease.taskId, user, { text: 'The moon pulls the sea.' }, 'demo-key-1');
    const d = await prisma.demonstration.findUniqueOrThrow({ where: { id: out.submissionId } });
    expect(d.text).toBe('The moon pulls the sea.');
    expect(d.guidelineVersion).toBe(1);
  });
});
