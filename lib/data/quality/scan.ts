// Streams a project's judgements grouped by ranking set through a QualityAccumulator.
import { cursorBatches, Params } from '../exports/cursor';
import { QualityAccumulator, type QualityReport, type SetInput } from './accumulate';

type Row = { set_id: string; prompt: string; gold_tiers: unknown; lengths: number[] | null; user_id: string; tiers: unknown; display_order: unknown; time_ms: number };

export async function scanProjectQuality(projectId: string, opts: { keepLowest?: number } = {}): Promise<QualityReport> {
  const p = new Params();
  const sql = {
    text: `SELECT j."setId" AS set_id, left(p.text, 200) AS prompt, s."goldTiers" AS gold_tiers,
        (SELECT json_agg(length(c.text) ORDER BY c.index) FROM "Completion" c WHERE c."setId" = s.id) AS lengths,
        j."userId" AS user_id, j.tiers, j."displayOrder" AS display_order, j."timeMs" AS time_ms
      FROM "Judgement" j JOIN "CompletionSet" s ON s.id = j."setId" JOIN "Prompt" p ON p.id = s."promptId"
      WHERE j."projectId" = ${p.add(projectId)}
      ORDER BY j."setId", j."createdAt", j.id`,
    values: p.values,
  };
  const acc = new QualityAccumulator(opts.keepLowest);
  let cur: SetInput | null = null;
  for await (const rows of cursorBatches<Row>(sql)) {
    for (const r of rows) {
      if (!cur || cur.setId !== r.set_id) {
        if (cur) acc.addSet(cur);
        cur = { setId: r.set_id, prompt: r.prompt, lengths: r.lengths ?? [], goldTiers: r.gold_tiers, judgements: [] };
      }
      cur.judgements.push({ userId: r.user_id, tiers: r.tiers, displayOrder: r.display_order, timeMs: r.time_ms });
    }
  }
  if (cur) acc.addSet(cur);
  return acc.report();
}
