// SFT, conversational: {"messages": [{role, content}, …]} — each demonstration (prompt →
// ideal answer) and each root-to-leaf path of each submitted dialogue (suggestions replaced by
// the labeler's edits), ending on an assistant turn.
import { sftExampleBatches } from '../sources';
import type { ExportFormat } from './types';

export const sftMessages: ExportFormat = {
  id: 'sft-messages',
  title: 'SFT messages',
  description: 'One line per demonstration or dialogue path: messages as a list of {role, content} (TRL SFTTrainer conversational).',
  fields: ['messages'],
  unit: 'example',
  async *records(sel, progress) {
    for await (const batch of sftExampleBatches(sel, progress)) yield batch.map((e) => ({ messages: e.messages }));
  },
};
