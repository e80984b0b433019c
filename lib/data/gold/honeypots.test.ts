// Gold honeypots end to end in the data layer: gold sets reach a labeler at the project's share,
// beyond the overlap and after their task closed, never twice; nothing a labeler receives says
// "gold"; accuracy and τ-b against gold match a hand computation; an excluded labeler's
// judgements stay out of a frozen snapshot until the exclusion is undone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../db';
import { nextTask } from '../tasks/next-task';
import { getTaskView } from '../tasks/get-task-view';
import { reclaimExpiredLeases } from '../tasks/reclaim-expired-leases';
import { renewLease } from '../tasks/renew-lease';
import { makeProject, makeRankingSets, makeUser } from '../tasks/test-fixtures';
import { submitRanking } from '../submissions/submit-ranking';
import { projectQuality } from '../quality/project-quality';
import { excludeLabeler, includeLabeler } from '../quality/labeler-exclusions';
import { freezeRoundSnapshot } from '../rounds/freeze-snapshot';
import { currentRoundItems } from '../rounds/round-items';
import { resolveSelection } from '../exports/selection';
import { closeExportPools } from '../exports/cursor';
import { GOLD_TASK_PRIORITY, setGold } from './set-gold';
import type { Tiers } from '../../shared/labeling';

let projectId = '';
let admin = '';
let goldIds: string[] = [];
const GOLD: Tiers[] = [
  [[0], [1], [2], [3]],
  [[1], [0, 2], [3]],
  [[0], [1], [2], [3]],
];
// What the "sloppy" labeler answers on each gold set (by position in goldIds), and by hand:
//  set 0: [[0],[2],[1],[3]] — 6 non-tied gold pairs, (1,2) reversed → 5 right; τ-b (5−1)/6 = 2/3
//  set 1: [[1,0],[2],[3]]  — 5 non-tied gold pairs ((0,2) is tied in gold), (1,0) tied by the
//         labeler → wrong, 4 right; τ-b: C 4, D 0, one tie each side → 4/√(5·5) = 0.8
//  set 2: [[3],[2],[1],[0]] — all 6 reversed → 0 right; τ-b −1
// accuracy 9/17, mean τ-b (2/3 + 0.8 − 1)/3
const SLOPPY: Tiers[] = [
  [[0], [2], [1], [3]],
  [[1, 0], [2], [3]],
  [[3], [2], [1], [0]],
];

beforeAll(async () => {
  projectId = await makeProject({ overlap: 1, mixDemonstration: 0, mixDialogue: 0, goldShare: 0.25 });
  admin = await makeUser('ADMIN', 'Admin');
  await makeRankingSets(projectId, 30);
  const sets = await prisma.completionSet.findMany({ where: { projectId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true } });
  goldIds = sets.slice(0, 3).map((s) => s.id);
  for (const [i, id] of goldIds.entries()) await setGold({ setId: id, tiers: GOLD[i], actorId: admin });
  // the gold sets' tasks are closed (their overlap was reached before they were marked gold)
  await prisma.task.updateMany({ where: { completionSetId: { in: goldIds } }, data: { status: 'DONE', doneCount: 1 } });
});

afterAll(async () => {
  await closeExportPools();
  await prisma.$disconnect();
});

/** Takes and submits `n` rankings; returns, in order, which gold set each one was (−1: not gold). */
async function rank(userId: string, n: number, answer: (goldIndex: number) => Tiers): Promise<number[]> {
  const served: number[] = [];
  for (let i = 0; i < n; i++) {
    const lease = await nextTask(userId, { projectId });
    if (!lease) break;
    const view = await getTaskView(lease.taskId, userId);
    const g = goldIds.indexOf(view.ranking!.setId);
    served.push(g);
    await submitRanking(lease.taskId, userId, { kind: 'RANKING', tiers: answer(g), allBad: false, flags: {}, timeMs: 1000 });
  }
  return served;
}

describe('gold honeypots', () => {
  it('serve gold at the set share (1 in 4: the 4th, 8th and 12th ranking), each gold set once, beyond the overlap', async () => {
    const sloppy = await makeUser('LABELER', 'Sloppy');
    const served = await rank(sloppy, 12, (g) => (g >= 0 ? SLOPPY[g] : [[0], [1], [2], [3]]));
    expect(served.map((g) => g >= 0)).toEqual([false, false, false, true, false, false, false, true, false, false, false, true]);
    expect(new Set(served.filter((g) => g >= 0)).size).toBe(3);
    // every gold set is used up: the rest are ordinary tasks, and never a gold set again
    const more = await rank(sloppy, 2, () => [[0], [1], [2], [3]]);
    expect(more).toEqual([-1, -1]);
  });

  it('reach a second labeler too, although every gold task is closed and past its overlap', async () => {
    const careful = await makeUser('LABELER', 'Careful');
    const served = await rank(careful, 8, (g) => (g >= 0 ? GOLD[g] : [[3], [2], [1], [0]]));
    expect(served.filter((g) => g >= 0).length).toBe(2);
    const gold = await prisma.task.findMany({ where: { completionSetId: { in: goldIds } }, select: { status: true, doneCount: true } });
    expect(gold.every((t) => t.status === 'DONE')).toBe(true);
  });

  it('with the share at 0 are ordinary tasks again, served after the others (their task goes last in the order)', async () => {
    const p = await makeProject({ overlap: 2, mixDemonstration: 0, mixDialogue: 0, goldShare: 0 });
    await makeRankingSets(p, 2);
    const [s] = await prisma.completionSet.findMany({ where: { projectId: p }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 1 });
    await setGold({ setId: s.id, tiers: [[0], [1], [2], [3]], actorId: admin });
    expect((await prisma.task.findFirstOrThrow({ where: { completionSetId: s.id } })).priority).toBe(GOLD_TASK_PRIORITY);
    const u = await makeUser();
    const first = (await nextTask(u, { projectId: p }))!;
    expect((await getTaskView(first.taskId, u)).ranking!.setId).not.toBe(s.id);
    await submitRanking(first.taskId, u, { kind: 'RANKING', tiers: [[0], [1], [2], [3]], allBad: false, flags: {}, timeMs: 1000 });
    const second = (await nextTask(u, { projectId: p }))!;
    expect((await getTaskView(second.taskId, u)).ranking!.setId).toBe(s.id);
    await setGold({ setId: s.id, tiers: null, actorId: admin });
    expect((await prisma.task.findFirstOrThrow({ where: { completionSetId: s.id } })).priority).toBe(0);
  });

  it('stay resumable after the lease expired, although their task is closed', async () => {
    const p = await makeProject({ overlap: 1, mixDemonstration: 0, mixDialogue: 0, goldShare: 0.5 });
    await makeRankingSets(p, 2);
    const [s] = await prisma.completionSet.findMany({ where: { projectId: p }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 1 });
    await setGold({ setId: s.id, tiers: [[0], [1], [2], [3]], actorId: admin });
    await prisma.task.updateMany({ where: { completionSetId: s.id }, data: { status: 'DONE', doneCount: 1 } });
    const u = await makeUser();
    const plain = (await nextTask(u, { projectId: p }))!;
    await submitRanking(plain.taskId, u, { kind: 'RANKING', tiers: [[0], [1], [2], [3]], allBad: false, flags: {}, timeMs: 1000 });
    const lease = (await nextTask(u, { projectId: p }))!; // share 0.5: the 2nd ranking is gold
    expect((await getTaskView(lease.taskId, u)).ranking!.setId).toBe(s.id);
    await prisma.assignment.update({ where: { id: lease.assignmentId }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    await reclaimExpiredLeases();
    expect((await prisma.assignment.findUniqueOrThrow({ where: { id: lease.assignmentId } })).status).toBe('EXPIRED');
    await renewLease(lease.taskId, u);
    expect((await prisma.assignment.findUniqueOrThrow({ where: { id: lease.assignmentId } })).status).toBe('ACTIVE');
  });

  it('look like any other task: the lease and task view carry the same fields and never mention gold', async () => {
    const u = await makeUser();
    const p = await makeProject({ overlap: 1, mixDemonstration: 0, mixDialogue: 0, goldShare: 0.5 });
    await makeRankingSets(p, 2);
    const [s] = await prisma.completionSet.findMany({ where: { projectId: p }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 1 });
    await setGold({ setId: s.id, tiers: [[2], [0], [1], [3]], actorId: admin });
    const first = (await nextTask(u, { projectId: p }))!;
    const firstView = await getTaskView(first.taskId, u);
    await submitRanking(first.taskId, u, { kind: 'RANKING', tiers: [[0], [1], [2], [3]], allBad: false, flags: {}, timeMs: 1000 });
    const second = (await nextTask(u, { projectId: p }))!;
    const secondView = await getTaskView(second.taskId, u);
    const views = [firstView, secondView];
    expect(views.filter((v) => v.ranking!.setId === s.id)).toHaveLength(1);
    const shape = (v: unknown): unknown => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])])) : typeof v);
    expect(shape(first)).toEqual(shape(second));
    expect(shape({ ...firstView, draft: null })).toEqual(shape({ ...secondView, draft: null }));
    for (const out of [first, second, firstView, secondView]) {
      expect(JSON.stringify(out)).not.toMatch(/gold/i);
      expect(JSON.stringify(out)).not.toContain('[[2],[0],[1],[3]]');
    }
  });

  it('measure each labeler: pairwise accuracy over non-tied gold pairs and τ-b, computed by hand, and flag the sloppy one', async () => {
    const q = await projectQuality(projectId);
    const by = Object.fromEntries(q.labelers.map((l) => [l.name, l]));
    expect(by.Sloppy.goldPairs).toBe(17);
    expect(by.Sloppy.goldAccuracy).toBeCloseTo(9 / 17, 12);
    expect(by.Sloppy.goldAgreement).toBeCloseTo((2 / 3 + 0.8 - 1) / 3, 12);
    expect(by.Sloppy.goldSets).toBe(3);
    expect(by.Sloppy.flagged).toBe(true); // 9/17 ≈ 0.53 < the default bar 0.75, over ≥ 5 pairs
    expect(by.Careful.goldAccuracy).toBe(1);
    expect(by.Careful.flagged).toBe(false);
    const sel = await resolveSelection({ projectId, minGoldAccuracy: 0.9 });
    expect(sel.userIds).toEqual([by.Careful.userId]);
  });

  it('exclude a labeler from the next frozen snapshot and the pre-flight items, and undo it', async () => {
    const q = await projectQuality(projectId);
    const sloppy = q.labelers.find((l) => l.name === 'Sloppy')!.userId;
    const theirs = new Set((await prisma.judgement.findMany({ where: { projectId, userId: sloppy }, select: { id: true } })).map((j) => j.id));
    expect(theirs.size).toBe(14);
    const frozenJudgements = async () => {
      const snap = await prisma.$transaction((tx) => freezeRoundSnapshot(tx, projectId, admin));
      return { ids: snap.items.filter((i) => i.itemType === 'judgement').map((i) => i.itemId), counts: snap.counts };
    };
    const before = await frozenJudgements();
    expect(before.ids.filter((id) => theirs.has(id))).toHaveLength(14);

    await excludeLabeler({ projectId, userId: sloppy, actorId: admin });
    await excludeLabeler({ projectId, userId: sloppy, actorId: admin }); // twice is harmless
    const after = await frozenJudgements();
    expect(after.ids.filter((id) => theirs.has(id))).toHaveLength(0);
    expect(after.counts.judgements).toBe(before.counts.judgements - 14);
    expect((await currentRoundItems(projectId)).filter((i) => theirs.has(i.itemId))).toHaveLength(0);
    const shown = (await projectQuality(projectId)).labelers.find((l) => l.userId === sloppy)!;
    expect(shown.excluded).toBe(true);
    expect(shown.judgements).toBe(14); // still measured on the quality page

    await includeLabeler({ projectId, userId: sloppy, actorId: admin });
    expect((await frozenJudgements()).ids.filter((id) => theirs.has(id))).toHaveLength(14);
    expect((await projectQuality(projectId)).labelers.find((l) => l.userId === sloppy)!.excluded).toBe(false);
  });

  it('refuse to exclude someone unknown, naming what is missing', async () => {
    await expect(excludeLabeler({ projectId, userId: 'nobody', actorId: admin })).rejects.toThrow(/No labeler with id "nobody"/);
    await expect(excludeLabeler({ projectId: 'nope', userId: admin, actorId: admin })).rejects.toThrow(/Project "nope" does not exist/);
  });
});
