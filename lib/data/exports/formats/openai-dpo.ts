// OpenAI preference fine-tuning (DPO) JSONL:
// {"input": {"messages": [...]}, "preferred_output": [{"role": "assistant", "content": …}],
//  "non_preferred_output": [{"role": "assistant", "content": …}]}. One record per strict preference.
import { tiersToPairs } from '../../../shared/labeling';
import { parseTiers } from '../../quality/ranking';
import { pairSourceBatches, promptMessages, type ChatMessage } from '../sources';
import type { ExportFormat } from './types';

export const openaiDpo: ExportFormat = {
  id: 'openai-dpo',
  title: 'OpenAI DPO',
  description: 'One line per strict preference: input.messages, preferred_output and non_preferred_output (OpenAI preference fine-tuning).',
  fields: ['input', 'preferred_output', 'non_preferred_output'],
  unit: 'judgement',
  async *records(sel, progress) {
    for await (const rows of pairSourceBatches(sel)) {
      const out: { input: { messages: ChatMessage[] }; preferred_output: ChatMessage[]; non_preferred_output: ChatMessage[] }[] = [];
      for (const r of rows) {
        const tiers = parseTiers(r.tiers, r.completions.length);
        if (!tiers) continue;
        const input = { messages: promptMessages(r) };
        for (const pr of tiersToPairs(tiers)) {
          out.push({
            input,
            preferred_output: [{ role: 'assistant', content: r.completions[pr.chosen] }],
            non_preferred_output: [{ role: 'assistant', content: r.completions[pr.rejected] }],
          });
        }
      }
      yield out;
      progress(rows.length);
    }
  },
};
