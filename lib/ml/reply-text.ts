// The text of a sampled assistant reply, as it is stored and shown.
import { decodeAssistantReply, type Tokenizer } from './tokenizer';

/** Postgres stores no NUL characters (a byte-level model can emit byte 0): they are dropped. */
export const withoutNul = (s: string) => s.replace(/\u0000/g, '');

/** Decodes reply ids (stop token excluded) to storable text. */
export function replyText(tok: Tokenizer, ids: number[]): string {
  return withoutNul(decodeAssistantReply(tok, ids));
}
