import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../db';
import { closeExportPools, exportPool } from '../exports/cursor';
import { seedExportDataset } from '../exports/test-dataset';
import { projectQuality } from './project-quality';
import { setDetail } from './set-detail';

let projectId = '';
beforeAll(async () => {
  ({ projectId } = await seedExportDataset(exportPool(), 'pq'));
});
afterAll(async () => {
  await closeExportPools();
  await prisma.$disconnect();
});

describe('projectQuality on the fixture', () => {
  it('reports α, per-labeler gold agreement and biases', async () => {
    const q = await projectQuality(projectId);
    expect(q.judgements).toBe(8);
    expect(q.sets).toBe(3);
    expect(q.setsWithOverlap).toBe(3);
    expect(q.goldSets).toBe(1);
    expect(q.alpha).not.toBeNull();
    const by = Object.fromEntries(q.labelers.map((l) => [l.name, l]));
    expect(by.alice.goldAgreement).toBe(1);
    // carol [[3],[2],[1],[0]] vs gold [[1],[0],[2,3]]: C = 1, D = 4, one pair tied in gold → −3/√(5·6)
    expect(by.carol.goldAgreement).toBeCloseTo(-3 / Math.sqrt(30), 12);
    expect(by.bob.goldSets).toBe(1);
    expect(by.alice.firstShownExpected).toBeCloseTo((1 / 4 + 1 / 4 + 1 / 4) / 3, 12);
    expect(q.tauHistogram.reduce((s, b) => s + b.count, 0)).toBe(3 + 3 + 1);
  });

  it('details one set with τ-b for each pair of labelers', async () => {
    const s = await setDetail('pq-s3');
    expect(s.pairs).toEqual([{ a: 'alice', b: 'bob', tauB: expect.any(Number) }]);
    // alice [[2],[0,1],[3]] vs bob [[2],[0],[1],[3]]: C = 5, D = 0, one tie in alice → 5/√(5·6)
    expect(s.pairs[0].tauB).toBeCloseTo(5 / Math.sqrt(30), 12);
    expect(s.consensus?.tiers).toEqual([[2], [0], [1], [3]]);
  });

  it('says which project is missing', async () => {
    await expect(projectQuality('missing')).rejects.toThrow(/Project "missing" does not exist/);
  });
});
