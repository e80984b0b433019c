// SFT, prompt–completion: {"prompt", "completion"} strings, one per demonstration.
// (Dialogues have several turns; they are in sft-messages and openai-chat.)
import { demonstrationBatches } from '../sources';
import type { ExportFormat } from './types';

export const sftPromptCompletion: ExportFormat = {
  id: 'sft-prompt-completion',
  title: 'SFT prompt/completion',
  description: 'One line per demonstration: prompt and completion as strings (TRL SFTTrainer prompt-completion).',
  fields: ['prompt', 'completion'],
  unit: 'demonstration',
  async *records(sel, progress) {
    for await (const rows of demonstrationBatches(sel, progress)) yield rows.map((d) => ({ prompt: d.prompt, completion: d.text }));
  },
};
