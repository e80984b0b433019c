// A launch that names `snapshotId` trains on an earlier round's frozen data instead of freezing
// the project as it is now, so two methods (PPO and DPO, say) can be compared on exactly the same
// items. Only a round snapshot of the same project qualifies: an export snapshot lists what a
// filter matched, not what a round trains on.
import { prisma, type Prisma } from '../../db';
import { AppError } from '../errors';
import type { FrozenSnapshot } from './freeze-snapshot';
import type { RoundItem } from './round-items';

export type ReusedSnapshot = { id: string; sha256: string };

/** The snapshot a launch asked for, or why it cannot be used (naming it). */
export async function findReusableSnapshot(projectId: string, snapshotId: string): Promise<ReusedSnapshot> {
  const snap = await prisma.datasetSnapshot.findUnique({ where: { id: snapshotId }, select: { id: true, projectId: true, kind: true, sha256: true } });
  if (!snap) throw new AppError('NOT_FOUND', `snapshotId: no snapshot ${snapshotId}.`, [{ path: 'snapshotId', message: `No snapshot ${snapshotId}.` }]);
  if (snap.projectId !== projectId) {
    throw new AppError('FORBIDDEN', `snapshotId: snapshot ${snapshotId} belongs to another project; a round trains only on its own project's data.`, [
      { path: 'snapshotId', message: `Snapshot ${snapshotId} belongs to another project.` },
    ]);
  }
  if (snap.kind !== 'ROUND') {
    throw new AppError('INVALID_INPUT', `snapshotId: snapshot ${snapshotId} is an ${snap.kind.toLowerCase()} snapshot, not a round's; pick the snapshot an earlier round trained on.`, [
      { path: 'snapshotId', message: `Snapshot ${snapshotId} is not a round's snapshot.` },
    ]);
  }
  return { id: snap.id, sha256: snap.sha256 };
}

/** The snapshot's items in their frozen order. */
export async function snapshotItems(snapshotId: string, db: Prisma.TransactionClient = prisma): Promise<RoundItem[]> {
  return db.datasetSnapshotItem.findMany({ where: { snapshotId }, select: { itemType: true, itemId: true }, orderBy: { ordinal: 'asc' } });
}

/** The reused snapshot in the shape a fresh freeze returns, its counts read from the items it lists. */
export async function reuseRoundSnapshot(tx: Prisma.TransactionClient, snap: ReusedSnapshot): Promise<FrozenSnapshot> {
  const items = await snapshotItems(snap.id, tx);
  const ids = (t: string) => items.filter((i) => i.itemType === t).map((i) => i.itemId);
  const judgements = await tx.judgement.findMany({ where: { id: { in: ids('judgement') } }, select: { tiers: true } });
  const counts = {
    demonstrations: ids('demonstration').length,
    conversations: ids('conversation').length,
    judgements: judgements.length,
    rankable: judgements.filter((j) => Array.isArray(j.tiers) && (j.tiers as unknown[]).length >= 2).length,
    prompts: ids('prompt').length,
  };
  return { id: snap.id, sha256: snap.sha256, items, counts };
}
