// Freezes a round's inputs: every demonstration, submitted dialogue, ranking judgement and
// prompt of the project at launch, listed in DatasetSnapshotItem and hashed (sha256 over the
// canonical JSON lines of the items' contents), so the round reads the same data however long
// it queues and its checkpoints can name exactly what they were trained on.
import { createHash } from 'node:crypto';
import type { Prisma } from '../../db';
import { ROUND_ITEM_ORDER, roundItemWhere } from './round-items';

export type FrozenSnapshot = { id: string; sha256: string; items: { itemType: string; itemId: string }[]; counts: { demonstrations: number; conversations: number; judgements: number; rankable: number; prompts: number } };

export async function freezeRoundSnapshot(tx: Prisma.TransactionClient, projectId: string, actorId: string | null): Promise<FrozenSnapshot> {
  const w = roundItemWhere(projectId);
  const [demos, convs, judgements, prompts] = await Promise.all([
    tx.demonstration.findMany({ where: w.demonstration, select: { id: true, promptId: true, text: true }, orderBy: ROUND_ITEM_ORDER }),
    tx.conversation.findMany({ where: w.conversation, select: { id: true, updatedAt: true }, orderBy: ROUND_ITEM_ORDER }),
    tx.judgement.findMany({ where: w.judgement, select: { id: true, setId: true, tiers: true }, orderBy: ROUND_ITEM_ORDER }),
    tx.prompt.findMany({ where: w.prompt, select: { id: true, textHash: true, split: true }, orderBy: ROUND_ITEM_ORDER }),
  ]);
  const lines: string[] = [];
  const items: { itemType: string; itemId: string }[] = [];
  const add = (itemType: string, itemId: string, content: unknown) => {
    items.push({ itemType, itemId });
    lines.push(JSON.stringify([itemType, itemId, content]));
  };
  for (const d of demos) add('demonstration', d.id, [d.promptId, d.text]);
  for (const c of convs) add('conversation', c.id, c.updatedAt.toISOString());
  for (const j of judgements) add('judgement', j.id, [j.setId, j.tiers]);
  for (const p of prompts) add('prompt', p.id, [p.textHash, p.split]);
  const sha256 = createHash('sha256').update(lines.join('\n')).digest('hex');
  const rankable = judgements.filter((j) => Array.isArray(j.tiers) && (j.tiers as unknown[]).length >= 2).length;
  const counts = { demonstrations: demos.length, conversations: convs.length, judgements: judgements.length, rankable, prompts: prompts.length };
  const snap = await tx.datasetSnapshot.create({
    data: {
      projectId,
      kind: 'ROUND',
      filter: { projectId, include: ['demonstration', 'conversation', 'judgement', 'prompt'] },
      rowCount: items.length,
      sha256,
      manifest: counts,
      createdById: actorId,
    },
    select: { id: true },
  });
  const CHUNK = 5000;
  for (let i = 0; i < items.length; i += CHUNK) {
    await tx.datasetSnapshotItem.createMany({ data: items.slice(i, i + CHUNK).map((it, k) => ({ snapshotId: snap.id, ordinal: i + k, ...it })) });
  }
  return { id: snap.id, sha256, items, counts };
}
