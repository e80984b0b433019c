// Pairwise expansion of the raw judgements: one record per strict preference of one labeler,
// margin = tier distance (adjacent tiers 1, …); items in one tier give no pair.
import { tiersToPairs } from '../../../shared/labeling';
import { parseTiers } from '../../quality/ranking';
import { judgementBatches, promptMessages } from '../sources';
import { editPairBatches, editPrompt } from '../edit-pairs';
import type { ExportFormat } from './types';

export const pairwise: ExportFormat = {
  id: 'pairwise',
  title: 'Pairwise with margin',
  description: 'One line per strict preference of one labeler, with margin = tier distance (ties give no pair).',
  fields: ['judgement_id', 'set_id', 'prompt_id', 'labeler_id', 'prompt', 'chosen_index', 'rejected_index', 'chosen', 'rejected', 'margin', 'all_bad', 'guideline_version', 'round_id', 'checkpoint_id', 'split', 'origin', 'edit_id'],
  unit: 'judgement',
  editPairs: true,
  async *records(sel, progress) {
    for await (const rows of judgementBatches(sel)) {
      const out: unknown[] = [];
      for (const r of rows) {
        const tiers = parseTiers(r.tiers, r.completions.length);
        if (!tiers) continue;
        const prompt = promptMessages(r);
        for (const pr of tiersToPairs(tiers)) {
          out.push({
            judgement_id: r.id,
            set_id: r.set_id,
            prompt_id: r.prompt_id,
            labeler_id: r.user_id,
            prompt,
            chosen_index: pr.chosen,
            rejected_index: pr.rejected,
            chosen: r.completions[pr.chosen],
            rejected: r.completions[pr.rejected],
            margin: pr.margin,
            all_bad: r.all_bad,
            guideline_version: r.guideline_version,
            round_id: r.round_id,
            checkpoint_id: r.checkpoint_id,
            split: r.split.toLowerCase(),
            origin: 'ranking',
            edit_id: null,
          });
        }
      }
      yield out;
      progress(rows.length);
    }
    // edited ≻ raw suggestion, one pair each (lib/data/exports/edit-pairs.ts)
    for await (const rows of editPairBatches(sel)) {
      yield rows.map((r) => ({
        judgement_id: null, set_id: null, prompt_id: r.prompt_id, labeler_id: r.user_id, prompt: editPrompt(r),
        chosen_index: 0, rejected_index: 1, chosen: r.chosen, rejected: r.rejected, margin: 1, all_bad: false,
        guideline_version: r.guideline_version, round_id: null, checkpoint_id: r.checkpoint_id, split: r.split.toLowerCase(), origin: 'edit', edit_id: r.id,
      }));
    }
  },
};
