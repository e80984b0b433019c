// TRL preference dataset, standard type: {"prompt", "chosen", "rejected"} as plain strings,
// one record per strict preference (ties give no pair). A dialogue context is flattened into
// the prompt in the Human/Assistant transcript convention, ending with "\n\nAssistant:".
import { tiersToPairs } from '../../../shared/labeling';
import { parseTiers } from '../../quality/ranking';
import { jsonPairSourceBatches, type PairSourceRow } from '../sources';
import { transcript } from './hh-transcript';
import { editPairBatches } from '../edit-pairs';
import type { ExportFormat } from './types';

export function promptText(r: Pick<PairSourceRow, 'prompt' | 'context'>): string {
  return r.context?.length ? `${transcript(r.context)}\n\nAssistant:` : r.prompt;
}

export const trlPreference: ExportFormat = {
  id: 'trl-preference',
  title: 'TRL preference (standard)',
  description: 'One line per strict preference: prompt, chosen and rejected as strings (TRL DPOTrainer / RewardTrainer).',
  fields: ['prompt', 'chosen', 'rejected', 'origin'],
  unit: 'judgement',
  editPairs: true,
  // The benchmarked path: Postgres hands over the prompt and completions already escaped as
  // JSON string literals (lib/data/exports/sources.ts), so each line is a concatenation; a
  // K = 5 ranking gives up to 10 lines from 6 strings, none parsed or re-escaped here.
  async *records(sel, progress) {
    for await (const rows of jsonPairSourceBatches(sel)) {
      let out = '';
      for (const r of rows) {
        const texts = r.completions_json === null ? [] : r.completions_json.split('\x01');
        const tiers = parseTiers(r.tiers, texts.length);
        if (!tiers) continue;
        const prompt = r.context?.length ? JSON.stringify(promptText({ prompt: '', context: r.context })) : r.prompt_json;
        const head = `{"prompt":${prompt},"chosen":`;
        for (const pr of tiersToPairs(tiers)) out += `${head}${texts[pr.chosen]},"rejected":${texts[pr.rejected]},"origin":"ranking"}\n`;
      }
      yield out;
      progress(rows.length);
    }
    // edited ≻ raw suggestion (lib/data/exports/edit-pairs.ts)
    for await (const rows of editPairBatches(sel)) yield rows.map((r) => ({ prompt: promptText(r), chosen: r.chosen, rejected: r.rejected, origin: 'edit' }));
  },
};
