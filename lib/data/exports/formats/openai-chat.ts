// OpenAI chat fine-tuning JSONL: {"messages": [{"role": "user"|"assistant", "content": …}]},
// from demonstrations and dialogue paths (the same examples as sft-messages).
import { sftExampleBatches } from '../sources';
import type { ExportFormat } from './types';

export const openaiChat: ExportFormat = {
  id: 'openai-chat',
  title: 'OpenAI chat fine-tuning',
  description: 'One line per demonstration or dialogue path: messages (OpenAI supervised fine-tuning).',
  fields: ['messages'],
  unit: 'example',
  async *records(sel, progress) {
    for await (const batch of sftExampleBatches(sel, progress)) {
      yield batch.map((e) => ({ messages: e.messages.map((m) => ({ role: m.role, content: m.content })) }));
    }
  },
};
