import { afterAll, describe, expect, it } from 'vitest';
import { prisma } from '../../db';
import { nextTask } from './next-task';
import { reclaimExpiredLeases } from './reclaim-expired-leases';
import { skipTask } from './skip-task';
import { renewLease } from './renew-lease';
import { saveDraft } from '../drafts/save-draft';
import { submitRanking } from '../submissions/submit-ranking';
import { makeProject, makeRankingSets, makeUser } from './test-fixtures';

afterAll(() => prisma.$disconnect());

describe('nextTask', () => {
  it('gives 50 concurrent labelers distinct slots and never more than the overlap per task', async () => {
    const projectId = await makeProject({ overlap: 3, mixDemonstration: 0, mixDialogue: 0 });
    await makeRankingSets(projectId, 10); // 30 slots for 50 labelers
    const users = await Promise.all(Array.from({ length: 50 }, () => makeUser()));
    const leases = await Promise.all(users.map((u) => nextTask(u, { projectId })));
    const got = leases.filter((l) => l !== null);
    expect(got.length).toBe(30);
    expect(new Set(got.map((l) => l!.assignmentId)).size).toBe(30);
    const perTask = new Map<string, number>();
    for (const l of got) perTask.set(l!.taskId, (perTask.get(l!.taskId) ?? 0) + 1);
    expect([...perTask.values()].every((n) => n === 3)).toBe(true);
    const tasks = await prisma.task.findMany({ where: { projectId }, select: { activeCount: true, wanted: true } });
    expect(tasks.every((t) => t.activeCount === t.wanted)).toBe(true);
    const dupes = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (SELECT "taskId", "userId" FROM "Assignment" GROUP BY 1, 2 HAVING count(*) > 1) d`;
    expect(dupes[0].n).toBe(0);
  });

  it('returns a live lease again instead of a second task, and never the same task twice', async () => {
    const projectId = await makeProject({ overlap: 2, mixDemonstration: 0, mixDialogue: 0 });
    await makeRankingSets(projectId, 2);
    const u = await makeUser();
    const a = await nextTask(u, { projectId });
    const again = await nextTask(u, { projectId });
    expect(again!.taskId).toBe(a!.taskId);
    expect(again!.resumed).toBe(true);
    await skipTask(a!.taskId, u, 'unclear');
    const b = await nextTask(u, { projectId });
    expect(b!.taskId).not.toBe(a!.taskId);
    await skipTask(b!.taskId, u, 'unclear');
    expect(await nextTask(u, { projectId })).toBeNull();
    const t = await prisma.task.findUnique({ where: { id: a!.taskId }, select: { activeCount: true } });
    expect(t!.activeCount).toBe(0);
  });

  it('takes the oldest task first, and a lower priority value before it', async () => {
    const projectId = await makeProject({ overlap: 3, mixDemonstration: 0, mixDialogue: 0 });
    await makeRankingSets(projectId, 3);
    const tasks = await prisma.task.findMany({ where: { projectId }, select: { id: true } });
    for (const [i, t] of tasks.entries()) await prisma.task.update({ where: { id: t.id }, data: { createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) } });
    expect((await nextTask(await makeUser(), { projectId }))!.taskId).toBe(tasks[0].id);
    await prisma.task.update({ where: { id: tasks[2].id }, data: { priority: -1 } });
    expect((await nextTask(await makeUser(), { projectId }))!.taskId).toBe(tasks[2].id);
  });

  it('follows the task mix: a kind with weight 0 is never given', async () => {
    const projectId = await makeProject({ mixDemonstration: 1, mixDialogue: 0, mixRanking: 0 });
    await makeRankingSets(projectId, 3);
    const u = await makeUser();
    const l = await nextTask(u, { projectId });
    expect(l!.kind).toBe('DEMONSTRATION');
    const tasks = await prisma.task.groupBy({ by: ['kind'], where: { projectId }, _count: { _all: true } });
    expect(Object.fromEntries(tasks.map((t) => [t.kind, t._count._all]))).toEqual({ DEMONSTRATION: 3, RANKING: 3 });
  });

  it('honours an explicit kind and never gives a labeler rankings of their own dialogue', async () => {
    const projectId = await makeProject({ mixDemonstration: 0, mixDialogue: 0 });
    const author = await makeUser();
    const other = await makeUser();
    const prompt = await prisma.prompt.create({ data: { projectId, text: 'ctx', textHash: 'ctx-hash' } });
    const convo = await prisma.conversation.create({ data: { projectId, userId: author, guidelineVersion: 1, promptId: prompt.id } });
    const set = await prisma.completionSet.create({
      data: { projectId, promptId: prompt.id, conversationId: convo.id, sourceModel: 'm', displaySeed: 7, completions: { create: [0, 1, 2, 3].map((index) => ({ index, text: `c${index}` })) } },
    });
    await prisma.task.create({ data: { projectId, kind: 'RANKING', completionSetId: set.id, promptId: prompt.id, wanted: 3 } });
    expect(await nextTask(author, { projectId, kind: 'RANKING' })).toBeNull();
    expect((await nextTask(other, { projectId, kind: 'RANKING' }))!.kind).toBe('RANKING');
  });
});

describe('leases', () => {
  it('reclaims an expired lease: the slot is freed, the draft kept, and a late submit keeps the work as a draft', async () => {
    const projectId = await makeProject({ overlap: 1, mixDemonstration: 0, mixDialogue: 0 });
    await makeRankingSets(projectId, 1);
    const [u, v] = [await makeUser(), await makeUser()];
    const lease = await nextTask(u, { projectId });
    await saveDraft(lease!.taskId, u, { tiers: [[0], [1, 2], [3]] });
    expect(await nextTask(v, { projectId })).toBeNull(); // the only slot is held
    await prisma.assignment.update({ where: { id: lease!.assignmentId }, data: { expiresAt: new Date(Date.now() - 1000) } });

    await expect(submitRanking(lease!.taskId, u, { tiers: [[1], [0], [2], [3]], allBad: false, flags: {} }, 'late-key-123')).rejects.toMatchObject({ code: 'GONE' });
    const kept = await prisma.assignment.findUnique({ where: { id: lease!.assignmentId } });
    expect(kept!.draft).toMatchObject({ tiers: [[1], [0], [2], [3]] });
    expect(await prisma.judgement.count({ where: { taskId: lease!.taskId } })).toBe(0);

    expect(await reclaimExpiredLeases()).toBeGreaterThanOrEqual(1);
    const a = await prisma.assignment.findUnique({ where: { id: lease!.assignmentId } });
    expect(a!.status).toBe('EXPIRED');
    expect(a!.draft).toMatchObject({ tiers: [[1], [0], [2], [3]] });
    const t = await prisma.task.findUnique({ where: { id: lease!.taskId } });
    expect(t!.activeCount).toBe(0);
    const taken = await nextTask(v, { projectId });
    expect(taken!.taskId).toBe(lease!.taskId);
    // the slot is gone now, so the first labeler cannot resume
    await expect(renewLease(lease!.taskId, u)).rejects.toMatchObject({ code: 'GONE' });
  });

  it('renews an expired lease while a slot is free', async () => {
    const projectId = await makeProject({ overlap: 2, mixDemonstration: 0, mixDialogue: 0 });
    await makeRankingSets(projectId, 1);
    const u = await makeUser();
    const lease = await nextTask(u, { projectId });
    await prisma.assignment.update({ where: { id: lease!.assignmentId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await reclaimExpiredLeases();
    const r = await renewLease(lease!.taskId, u);
    expect(new Date(r.expiresAt).getTime()).toBeGreaterThan(Date.now() + 25 * 60_000);
    const out = await submitRanking(lease!.taskId, u, { tiers: [[0, 1], [2], [3]], allBad: false, flags: {} });
    expect(out.duplicate).toBe(false);
  });
});
