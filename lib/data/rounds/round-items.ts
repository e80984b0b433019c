// Which rows a round trains on: every demonstration, submitted dialogue, ranking judgement and
// prompt of the project, less the judgements of labelers an admin excluded from this project
// (LabelerExclusion, set on the quality page). The launch freezes these (freeze-snapshot.ts)
// and the pre-flight check reads the same ones before launch, so both judge the same data.
import { prisma, type Prisma } from '../../db';

export const roundItemWhere = (projectId: string) => ({
  demonstration: { projectId },
  conversation: { projectId, submitted: true },
  judgement: { projectId, user: { labelerExclusions: { none: { projectId } } } },
  prompt: { projectId },
});

export const ROUND_ITEM_ORDER = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

export type RoundItem = { itemType: string; itemId: string };

/** The items a launch would freeze now, in the snapshot's order. */
export async function currentRoundItems(projectId: string, db: Prisma.TransactionClient = prisma): Promise<RoundItem[]> {
  const w = roundItemWhere(projectId);
  const select = { id: true } as const;
  const [demos, convs, judgements, prompts] = await Promise.all([
    db.demonstration.findMany({ where: w.demonstration, select, orderBy: ROUND_ITEM_ORDER }),
    db.conversation.findMany({ where: w.conversation, select, orderBy: ROUND_ITEM_ORDER }),
    db.judgement.findMany({ where: w.judgement, select, orderBy: ROUND_ITEM_ORDER }),
    db.prompt.findMany({ where: w.prompt, select, orderBy: ROUND_ITEM_ORDER }),
  ]);
  const of = (itemType: string, rows: { id: string }[]) => rows.map((r) => ({ itemType, itemId: r.id }));
  return [...of('demonstration', demos), ...of('conversation', convs), ...of('judgement', judgements), ...of('prompt', prompts)];
}
