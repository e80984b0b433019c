// Snapshots are frozen and hashed: the same filter over the same data gives the same hash,
// any change to selected content changes it, and exports from a snapshot never see later rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeExportPools, exportPool } from '../exports/cursor';
import { openExport } from '../exports/stream-export';
import { seedExportDataset } from '../exports/test-dataset';
import { createSnapshot } from './create-snapshot';
import { getSnapshot } from './get-snapshot';

let projectId = '';
let other = '';

beforeAll(async () => {
  ({ projectId } = await seedExportDataset(exportPool(), 'sn'));
  ({ projectId: other } = await seedExportDataset(exportPool(), 'sm'));
});
afterAll(() => closeExportPools());

async function text(format: string, filter: Record<string, unknown>) {
  const parts: Buffer[] = [];
  for await (const c of (await openExport({ format, filter })).chunks) parts.push(c);
  return Buffer.concat(parts).toString();
}

describe('createSnapshot', () => {
  it('gives the same hash for the same filter over the same data', async () => {
    const a = await createSnapshot({ filter: { projectId } });
    const b = await createSnapshot({ filter: { projectId } });
    expect(a.id).not.toBe(b.id);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.sha256).toBe(a.sha256);
    expect(a.rowCount).toBe(8 + 2 + 2);
    expect(a.manifest.counts).toEqual({ items: 12, judgements: 8, demonstrations: 2, conversations: 2, sets: 3, prompts: 3, labelers: 3 });
    expect(a.manifest.checkpoint_ids).toEqual(['sn-ckpt1']);
    expect(a.manifest.round_ids).toEqual(['sn-round1']);
    expect(a.manifest.guideline_versions).toEqual([1, 2]);
    expect(a.manifest.filter).toEqual({ projectId });
    const stored = await getSnapshot(a.id);
    expect(stored.sha256).toBe(a.sha256);
    expect(stored.rowCount).toBe(12);
  });

  it('gives a different hash for a different selection or changed content', async () => {
    const all = await createSnapshot({ filter: { projectId } });
    const val = await createSnapshot({ filter: { projectId, split: 'VAL' } });
    expect(val.sha256).not.toBe(all.sha256);
    expect(val.manifest.counts.judgements).toBe(3);
    // The twin project has different ids, so a different hash.
    expect((await createSnapshot({ filter: { projectId: other } })).sha256).not.toBe(all.sha256);
    await exportPool().query(`UPDATE "Judgement" SET likert = 2 WHERE id = 'sn-j-s1-alice'`);
    const changed = await createSnapshot({ filter: { projectId } });
    expect(changed.sha256).not.toBe(all.sha256);
    await exportPool().query(`UPDATE "Judgement" SET likert = 6 WHERE id = 'sn-j-s1-alice'`);
    expect((await createSnapshot({ filter: { projectId } })).sha256).toBe(all.sha256);
  });

  it('is frozen: exports of a snapshot ignore rows added later', async () => {
    const snap = await createSnapshot({ filter: { projectId } });
    const before = await text('judgements', { snapshotId: snap.id });
    await exportPool().query(`DELETE FROM "Judgement" WHERE id = 'sm-j-s1-alice'`); // unrelated project: nothing moves
    await exportPool().query(
      `INSERT INTO "Assignment" (id, "taskId", "userId", status, "expiresAt", "updatedAt") VALUES ('sn-late-a', 'sn-t-s3', 'sn-carol', 'SUBMITTED', now(), now())`,
    );
    await exportPool().query(
      `INSERT INTO "Judgement" (id, "projectId", "setId", "taskId", "assignmentId", "userId", tiers, "displayOrder", "timeMs", "guidelineVersion")
       VALUES ('sn-late', $1, 'sn-s3', 'sn-t-s3', 'sn-late-a', 'sn-carol', '[[0],[1],[2],[3]]', '[0,1,2,3]', 1000, 2)`,
      [projectId],
    );
    expect(await text('judgements', { snapshotId: snap.id })).toBe(before);
    expect(await text('judgements', { projectId })).not.toBe(before);
    // the fixture's 8 judgements, and its dialogue's edited suggestion as one edit pair
    const lines = before.trimEnd().split('\n').map((l) => JSON.parse(l) as { origin: string });
    expect(lines.filter((l) => l.origin === 'ranking')).toHaveLength(8);
    expect(lines.filter((l) => l.origin === 'edit')).toHaveLength(1);
  });

  it('refuses an empty selection and impossible filters', async () => {
    await expect(createSnapshot({ filter: { projectId, from: '2031-01-01' } })).rejects.toThrow(/Nothing to snapshot/);
    await expect(createSnapshot({ filter: { projectId, minAgreement: -2 } })).rejects.toThrow(/between -1 and 1/);
    await expect(createSnapshot({ filter: { projectId: 'missing' } })).rejects.toThrow(/does not exist/);
    await expect(createSnapshot({ filter: { projectId, roundId: 'sm-round1' } })).rejects.toThrow(/not a round of this project/);
  });
});
