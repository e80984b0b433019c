import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../db';
import { closeExportPools, exportPool } from '../exports/cursor';
import { seedExportDataset } from '../exports/test-dataset';
import { setGold } from './set-gold';
import { listGoldSets } from './list-gold-sets';

let projectId = '';
beforeAll(async () => {
  ({ projectId } = await seedExportDataset(exportPool(), 'gd'));
});
afterAll(async () => {
  await closeExportPools();
  await prisma.$disconnect();
});

describe('setGold', () => {
  it('stores a complete order, audits it, and clears it again', async () => {
    await setGold({ setId: 'gd-s1', tiers: [[1], [0, 2], [3]], actorId: 'gd-alice' });
    expect((await prisma.completionSet.findUniqueOrThrow({ where: { id: 'gd-s1' } })).goldTiers).toEqual([[1], [0, 2], [3]]);
    expect((await listGoldSets({ projectId, show: 'gold' })).map((s) => s.id).sort()).toEqual(['gd-s1', 'gd-s2']);
    expect(await prisma.auditLog.count({ where: { action: 'gold.set', targetId: 'gd-s1' } })).toBe(1);
    await setGold({ setId: 'gd-s1', tiers: null, actorId: 'gd-alice' });
    expect((await prisma.completionSet.findUniqueOrThrow({ where: { id: 'gd-s1' } })).goldTiers).toBeNull();
    expect((await listGoldSets({ projectId, show: 'candidates' })).map((s) => s.id)).toContain('gd-s1');
  });

  it('refuses orders that skip or repeat completions, and unknown sets', async () => {
    await expect(setGold({ setId: 'gd-s1', tiers: [[0], [1], [2]], actorId: 'gd-alice' })).rejects.toThrow(/omits completion 3/);
    await expect(setGold({ setId: 'gd-s1', tiers: [[0], [0, 1, 2, 3]], actorId: 'gd-alice' })).rejects.toThrow(/appears twice/);
    await expect(setGold({ setId: 'nope', tiers: [[0]], actorId: 'gd-alice' })).rejects.toThrow(/does not exist/);
  });
});
