// Consensus ranking per set (Copeland's pairwise-majority method, lib/data/quality/consensus.ts),
// exported beside the raw judgements it was derived from: judgement_ids point at the
// `judgements` export, which stays the source of truth.
import { copeland } from '../../quality/consensus';
import { parseTiers, type Tiers } from '../../quality/ranking';
import { judgementBatches, promptMessages, type JudgementRow } from '../sources';
import type { ExportFormat } from './types';

function setRecord(rows: JudgementRow[]) {
  const first = rows[0];
  const rankings = rows.map((r) => parseTiers(r.tiers, r.completions.length)).filter((t): t is Tiers => t !== null);
  const c = copeland(rankings, first.completions.map((_, i) => i));
  return {
    set_id: first.set_id,
    prompt_id: first.prompt_id,
    prompt: promptMessages(first),
    completions: first.completions,
    method: 'copeland',
    consensus_tiers: c?.tiers ?? [],
    scores: c?.scores ?? {},
    n_judgements: rows.length,
    judgement_ids: rows.map((r) => r.id),
    gold_tiers: first.gold_tiers ?? null,
    round_id: first.round_id,
    checkpoint_id: first.checkpoint_id,
    split: first.split.toLowerCase(),
  };
}

export const consensus: ExportFormat = {
  id: 'consensus',
  title: 'Consensus ranking per set',
  description: 'One line per set: Copeland consensus tiers and scores, with the ids of the raw judgements they come from.',
  fields: ['set_id', 'prompt_id', 'prompt', 'completions', 'method', 'consensus_tiers', 'scores', 'n_judgements', 'judgement_ids', 'gold_tiers', 'round_id', 'checkpoint_id', 'split'],
  unit: 'judgement',
  async *records(sel, progress) {
    let group: JudgementRow[] = [];
    for await (const rows of judgementBatches(sel, { order: 'set' })) {
      const out: unknown[] = [];
      for (const r of rows) {
        if (group.length && group[0].set_id !== r.set_id) {
          out.push(setRecord(group));
          group = [];
        }
        group.push(r);
      }
      yield out;
      progress(rows.length);
    }
    if (group.length) yield [setRecord(group)];
  },
};
