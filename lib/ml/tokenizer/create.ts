import { ByteTokenizer } from './byte';
import { Gpt2Tokenizer } from './gpt2';
import type { Tokenizer, TokenizerKind } from './tokenizer';

const cache: Partial<Record<TokenizerKind, Tokenizer>> = {};

/** The tokenizer of a kind (tokenizers are stateless, so one instance per kind is shared). */
export function createTokenizer(kind: TokenizerKind): Tokenizer {
  if (kind !== 'byte' && kind !== 'gpt2') throw new Error(`unknown tokenizer kind ${JSON.stringify(kind)} (expected "byte" or "gpt2")`);
  return (cache[kind] ??= kind === 'byte' ? new ByteTokenizer() : new Gpt2Tokenizer());
}
