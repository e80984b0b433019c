// Anthropic HH-RLHF transcripts: every turn starts with "\n\nHuman: " or "\n\nAssistant: ".
import type { ChatMessage } from '../sources';

export function transcript(messages: ChatMessage[]): string {
  let s = '';
  for (const m of messages) s += `\n\n${m.role === 'user' ? 'Human' : 'Assistant'}: ${m.content}`;
  return s;
}
