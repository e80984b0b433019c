// TRL preference dataset, conversational type: prompt is a list of {role, content} messages,
// chosen and rejected are one-message lists with the assistant's completion.
import { tiersToPairs } from '../../../shared/labeling';
import { parseTiers } from '../../quality/ranking';
import { pairSourceBatches, promptMessages, type ChatMessage } from '../sources';
import type { ExportFormat } from './types';
import { editPairBatches, editPrompt } from '../edit-pairs';

export const trlPreferenceConversational: ExportFormat = {
  id: 'trl-preference-conversational',
  title: 'TRL preference (conversational)',
  description: 'One line per strict preference: prompt, chosen and rejected as lists of {role, content} messages.',
  fields: ['prompt', 'chosen', 'rejected', 'origin'],
  unit: 'judgement',
  editPairs: true,
  async *records(sel, progress) {
    for await (const rows of pairSourceBatches(sel)) {
      const out: { prompt: ChatMessage[]; chosen: ChatMessage[]; rejected: ChatMessage[]; origin: 'ranking' }[] = [];
      for (const r of rows) {
        const tiers = parseTiers(r.tiers, r.completions.length);
        if (!tiers) continue;
        const prompt = promptMessages(r);
        for (const pr of tiersToPairs(tiers)) {
          out.push({
            prompt,
            chosen: [{ role: 'assistant', content: r.completions[pr.chosen] }],
            rejected: [{ role: 'assistant', content: r.completions[pr.rejected] }],
            origin: 'ranking',
          });
        }
      }
      yield out;
      progress(rows.length);
    }
    // edited ≻ raw suggestion (lib/data/exports/edit-pairs.ts)
    for await (const rows of editPairBatches(sel)) {
      yield rows.map((r) => ({ prompt: editPrompt(r), chosen: [{ role: 'assistant', content: r.chosen }], rejected: [{ role: 'assistant', content: r.rejected }], origin: 'edit' }));
    }
  },
};
