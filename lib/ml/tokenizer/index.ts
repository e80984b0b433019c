// Tokenizers: one interface (tokenizer.ts), byte-level (byte.ts) and GPT-2 BPE (gpt2.ts), the
// chat template (chat.ts) and checkpoint files (files.ts).
import { BYTE_VOCAB_SIZE } from './byte';
import { GPT2_VOCAB_SIZE, GPT2_HF_VOCAB_SIZE } from './gpt2';

export type { Tokenizer, TokenizerKind, SpecialTokens, DecodeOptions, HoneTokenizerJSON } from './tokenizer';
export { SPECIAL_MARKERS } from './tokenizer';
export { encodeChat, decodeAssistantReply, CHAT_TEMPLATE_JINJA, type ChatMessage, type ChatRole } from './chat';
export { BYTE_VOCAB_SIZE, GPT2_VOCAB_SIZE, GPT2_HF_VOCAB_SIZE };
export { createTokenizer } from './create';
export { tokenizerFiles, readTokenizerFiles, writeTokenizerFiles, TOKENIZER_FILE_NAMES } from './files';

