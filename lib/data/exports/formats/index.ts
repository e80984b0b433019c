// Every export format, by id. The order here is the order of the UI and the docs.
import { anthropicHh } from './anthropic-hh';
import { consensus } from './consensus';
import { judgements } from './judgements';
import { oasst } from './oasst';
import { openaiChat } from './openai-chat';
import { openaiDpo } from './openai-dpo';
import { pairwise } from './pairwise';
import { sftMessages } from './sft-messages';
import { sftPromptCompletion } from './sft-prompt-completion';
import { trlPreference } from './trl-preference';
import { trlPreferenceConversational } from './trl-preference-conversational';
import type { ExportFormat } from './types';
import { AppError } from '../../errors';

export const FORMATS: ExportFormat[] = [
  trlPreference,
  trlPreferenceConversational,
  judgements,
  consensus,
  pairwise,
  sftMessages,
  sftPromptCompletion,
  openaiChat,
  openaiDpo,
  anthropicHh,
  oasst,
];

export const FORMAT_IDS = FORMATS.map((f) => f.id);

export function getFormat(id: string): ExportFormat {
  const f = FORMATS.find((x) => x.id === id);
  if (!f) throw new AppError('NOT_FOUND', `Unknown export format "${id}". Formats: ${FORMAT_IDS.join(', ')}.`);
  return f;
}

export type { ExportFormat } from './types';
