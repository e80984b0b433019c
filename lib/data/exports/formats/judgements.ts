// Raw K-way judgements, exactly as labelers gave them: one record per labeler per set, with
// tiers (completion indices, best first; one tier = a tie), flags, Likert (overall, and per
// completion index where the project rates each one), time on task, the order the completions
// were displayed in, the guideline version the labeler saw (and whether a newer one was out) and
// the sampling checkpoint.
import { judgementBatches, promptMessages } from '../sources';
import type { ExportFormat } from './types';
import { editPairBatches, editPrompt } from '../edit-pairs';

export const judgements: ExportFormat = {
  id: 'judgements',
  title: 'Raw K-way judgements',
  description: 'One line per labeler per set: tiers with ties, all_bad, flags, likert, likert_per_completion, time_ms, display_order, guideline_version, guideline_outdated, checkpoint_id.',
  fields: ['judgement_id', 'set_id', 'prompt_id', 'labeler_id', 'prompt', 'completions', 'tiers', 'all_bad', 'flags', 'likert', 'likert_per_completion', 'comment', 'time_ms', 'display_order', 'guideline_version', 'guideline_outdated', 'round_id', 'checkpoint_id', 'source_model', 'split', 'is_gold', 'created_at', 'origin', 'edit_id'],
  unit: 'judgement',
  editPairs: true,
  async *records(sel, progress) {
    for await (const rows of judgementBatches(sel)) {
      yield rows.map((r) => ({
        judgement_id: r.id,
        set_id: r.set_id,
        prompt_id: r.prompt_id,
        labeler_id: r.user_id,
        prompt: promptMessages(r),
        completions: r.completions,
        tiers: r.tiers,
        all_bad: r.all_bad,
        flags: r.flags,
        likert: r.likert,
        likert_per_completion: r.likert_per_completion,
        comment: r.comment,
        time_ms: r.time_ms,
        display_order: r.display_order,
        guideline_version: r.guideline_version,
        guideline_outdated: r.guideline_outdated,
        round_id: r.round_id,
        checkpoint_id: r.checkpoint_id,
        source_model: r.source_model,
        split: r.split.toLowerCase(),
        is_gold: r.gold_tiers !== null,
        created_at: r.created_at.toISOString(),
        origin: 'ranking',
        edit_id: null,
      }));
      progress(rows.length);
    }
    // an edit as a two-way judgement: completions [edited, raw suggestion], edited first
    for await (const rows of editPairBatches(sel)) {
      yield rows.map((r) => ({
        judgement_id: null, set_id: null, prompt_id: r.prompt_id, labeler_id: r.user_id, prompt: editPrompt(r), completions: [r.chosen, r.rejected], tiers: [[0], [1]],
        all_bad: false, flags: null, likert: null, likert_per_completion: null, comment: null, time_ms: null, display_order: null, guideline_version: r.guideline_version, guideline_outdated: null, round_id: null,
        checkpoint_id: r.checkpoint_id, source_model: null, split: r.split.toLowerCase(), is_gold: false, created_at: r.created_at.toISOString(), origin: 'edit', edit_id: r.id,
      }));
    }
  },
};
