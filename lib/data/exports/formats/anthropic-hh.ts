// Anthropic HH-RLHF: {"chosen", "rejected"}, each the whole transcript
// "\n\nHuman: …\n\nAssistant: …" ending with the preferred / dispreferred completion.
// One record per strict preference (ties give no pair).
import { tiersToPairs } from '../../../shared/labeling';
import { parseTiers } from '../../quality/ranking';
import { pairSourceBatches, promptMessages } from '../sources';
import { transcript } from './hh-transcript';
import type { ExportFormat } from './types';

export const anthropicHh: ExportFormat = {
  id: 'anthropic-hh',
  title: 'Anthropic HH',
  description: 'One line per strict preference: chosen and rejected transcripts in the "\\n\\nHuman: … \\n\\nAssistant: …" convention.',
  fields: ['chosen', 'rejected'],
  unit: 'judgement',
  async *records(sel, progress) {
    for await (const rows of pairSourceBatches(sel)) {
      const out: { chosen: string; rejected: string }[] = [];
      for (const r of rows) {
        const tiers = parseTiers(r.tiers, r.completions.length);
        if (!tiers) continue;
        const head = `${transcript(promptMessages(r))}\n\nAssistant: `;
        for (const pr of tiersToPairs(tiers)) out.push({ chosen: head + r.completions[pr.chosen], rejected: head + r.completions[pr.rejected] });
      }
      yield out;
      progress(rows.length);
    }
  },
};
