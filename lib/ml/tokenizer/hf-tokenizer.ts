// Which tokenizer a Hugging Face model folder brings, checked before a base is registered. Hone
// encodes with GPT-2's byte-level BPE (gpt2.ts) or its byte tokenizer, so a folder is accepted
// when its files describe exactly one of those:
//   - hone_tokenizer.json (a folder Hone wrote: any of its tokenizers);
//   - vocab.json + merges.txt (GPT2Tokenizer): GPT-2's 50257 entries, and 50000 merges whose
//     i-th pair joins into the token of id 256 + i (how GPT-2's files are built);
//   - tokenizer.json (GPT2TokenizerFast / `tokenizers`): a BPE model with the same vocabulary
//     and merges.
// Added tokens above GPT-2's 50256 must be Hone's chat markers at Hone's ids (50257–50260),
// since the chat template puts those ids there. Anything else is refused with the file and the
// first difference, so an admin learns what is wrong before any weight is copied.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createTokenizer } from './create';
import { readJSON, readTokenizerFiles } from './files';
import { GPT2_HF_VOCAB_SIZE, gpt2VocabAndMerges } from './gpt2';
import { specialTokenTable, type Tokenizer } from './tokenizer';

export type HfTokenizer = {
  tokenizer: Tokenizer;
  /** Tokens the files define (GPT-2: 50257; a Hone folder: the tokenizer's vocabSize). */
  definedTokens: number;
  /** The files that describe it. */
  files: string[];
};

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** Throws at the first entry where `vocab` differs from GPT-2's. */
function checkVocab(vocab: unknown, file: string): void {
  if (typeof vocab !== 'object' || vocab === null || Array.isArray(vocab)) throw new Error(`${file}: the vocabulary must be a JSON object of token → id`);
  const ours = gpt2VocabAndMerges().vocab;
  const theirs = vocab as Record<string, unknown>;
  const n = Object.keys(theirs).length;
  if (n !== GPT2_HF_VOCAB_SIZE) {
    throw new Error(`${file}: ${n} tokens, but GPT-2's byte-level BPE has ${GPT2_HF_VOCAB_SIZE}; Hone only trains models with GPT-2's tokenizer (or its own)`);
  }
  for (const [token, id] of Object.entries(ours)) {
    if (theirs[token] !== id) {
      throw new Error(`${file}: token ${JSON.stringify(token)} has id ${JSON.stringify(theirs[token] ?? null)}, GPT-2's tokenizer has ${id}: this is not GPT-2's vocabulary`);
    }
  }
}

/** Merges as "a b" lines: GPT-2's are the pairs that build tokens 256, 257, … in order. */
function checkMerges(merges: string[], file: string): void {
  const vocab = gpt2VocabAndMerges().vocab;
  const byId: string[] = [];
  for (const [t, id] of Object.entries(vocab)) byId[id] = t;
  const expected = GPT2_HF_VOCAB_SIZE - 1 - 256;
  if (merges.length !== expected) throw new Error(`${file}: ${merges.length} merges, GPT-2's tokenizer has ${expected}`);
  merges.forEach((m, i) => {
    const parts = m.split(' ');
    if (parts.length !== 2 || parts.join('') !== byId[256 + i]) {
      throw new Error(`${file}: merge ${i + 1} is ${JSON.stringify(m)}, GPT-2's builds ${JSON.stringify(byId[256 + i])} there`);
    }
  });
}

/** Added tokens with ids above GPT-2's text vocabulary must be Hone's chat markers at their ids. */
function checkAddedTokens(added: { id: number; content: string }[], file: string): void {
  const markers = specialTokenTable(createTokenizer('gpt2').special);
  const markerAt = new Map(Object.entries(markers).map(([content, id]) => [id, content]));
  for (const t of added) {
    if (t.id < GPT2_HF_VOCAB_SIZE - 1) {
      throw new Error(`${file}: added token ${JSON.stringify(t.content)} at id ${t.id} replaces a GPT-2 token; Hone cannot train it`);
    }
    if (t.id === GPT2_HF_VOCAB_SIZE - 1 && t.content !== '<|endoftext|>') {
      throw new Error(`${file}: id 50256 is ${JSON.stringify(t.content)}, GPT-2's is <|endoftext|>`);
    }
    if (t.id >= GPT2_HF_VOCAB_SIZE && markerAt.get(t.id) !== t.content) {
      throw new Error(
        `${file}: added token ${JSON.stringify(t.content)} at id ${t.id} is not supported: Hone puts its chat markers ` +
          `(<|system|>, <|user|>, <|assistant|>, <|end|>) at ids 50257–50260`,
      );
    }
  }
}

function addedFromConfig(cfg: unknown): { id: number; content: string }[] {
  const dec = (cfg as { added_tokens_decoder?: Record<string, { content?: unknown }> } | undefined)?.added_tokens_decoder;
  if (!dec || typeof dec !== 'object') return [];
  return Object.entries(dec).map(([id, v]) => ({ id: Number(id), content: String(v?.content ?? '') }));
}

/** The tokenizer of a Hugging Face model folder, or an error naming the file and what is wrong. */
export async function readHfTokenizer(dir: string): Promise<HfTokenizer> {
  const at = (f: string) => path.join(dir, f);
  if (await exists(at('hone_tokenizer.json'))) {
    const tokenizer = await readTokenizerFiles(dir);
    return { tokenizer, definedTokens: tokenizer.vocabSize, files: ['hone_tokenizer.json'] };
  }
  const tokCfg = await readJSON(at('tokenizer_config.json'));
  if (await exists(at('vocab.json'))) {
    if (!(await exists(at('merges.txt')))) throw new Error('vocab.json is there but merges.txt is missing: GPT-2\'s tokenizer needs both');
    checkVocab(await readJSON(at('vocab.json')), 'vocab.json');
    const lines = (await fs.readFile(at('merges.txt'), 'utf8')).split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#version'));
    checkMerges(lines, 'merges.txt');
    checkAddedTokens(addedFromConfig(tokCfg), 'tokenizer_config.json');
    return { tokenizer: createTokenizer('gpt2'), definedTokens: GPT2_HF_VOCAB_SIZE, files: ['vocab.json', 'merges.txt'] };
  }
  const fast = (await readJSON(at('tokenizer.json'))) as
    | { model?: { type?: unknown; vocab?: unknown; merges?: unknown }; added_tokens?: { id: number; content: string }[] }
    | undefined;
  if (fast !== undefined) {
    if (fast.model?.type !== 'BPE') throw new Error(`tokenizer.json: a ${JSON.stringify(fast.model?.type ?? null)} model; Hone needs GPT-2's byte-level BPE`);
    checkVocab(fast.model.vocab, 'tokenizer.json');
    const merges = Array.isArray(fast.model.merges) ? fast.model.merges.map((m) => (Array.isArray(m) ? m.join(' ') : String(m))) : [];
    checkMerges(merges, 'tokenizer.json');
    checkAddedTokens(Array.isArray(fast.added_tokens) ? fast.added_tokens : [], 'tokenizer.json');
    return { tokenizer: createTokenizer('gpt2'), definedTokens: GPT2_HF_VOCAB_SIZE, files: ['tokenizer.json'] };
  }
  throw new Error('No tokenizer files: expected vocab.json and merges.txt, or tokenizer.json (GPT-2\'s byte-level BPE)');
}
