// Tokenizer files of a checkpoint folder.
//
// Every checkpoint gets `hone_tokenizer.json` (our description: kind, vocabulary, special ids),
// which is what loading reads. For Hugging Face:
//  - gpt2: `vocab.json` + `merges.txt` (GPT-2's, rebuilt from gpt-tokenizer's ranks, see
//    gpt2.ts), `tokenizer_config.json` (GPT2Tokenizer, <|endoftext|> as bos/eos/unk/pad, our chat
//    specials as added tokens with their ids, the chat template in Jinja) and
//    `special_tokens_map.json`. AutoTokenizer.from_pretrained(dir) then encodes like we do.
//  - byte: a `tokenizer.json` for the `tokenizers` library (a BPE model with the 256 byte
//    letters of GPT-2's bytes_to_unicode as its vocabulary, id = byte value, no merges, a
//    ByteLevel pre-tokenizer without regex split and the ByteLevel decoder), so
//    PreTrainedTokenizerFast loads it and maps text to the same byte ids; plus
//    tokenizer_config.json and special_tokens_map.json.
// A folder without hone_tokenizer.json but with GPT-2's vocab.json (a checkpoint made by
// transformers) loads as the gpt2 tokenizer.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CHAT_TEMPLATE_JINJA } from './chat';
import { createTokenizer } from './create';
import { bytesToUnicode, gpt2VocabAndMerges } from './gpt2';
import { SPECIAL_MARKERS, type HoneTokenizerJSON, type Tokenizer, type TokenizerKind } from './tokenizer';

export const TOKENIZER_FILE_NAMES = [
  'hone_tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.json',
  'merges.txt',
  'tokenizer.json',
] as const;

function addedTokens(tok: Tokenizer) {
  const table = tok.toJSON().specialTokens;
  return Object.entries(table)
    .map(([content, id]) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }))
    .sort((a, b) => a.id - b.id);
}

const CHAT_MARKERS = [SPECIAL_MARKERS.system, SPECIAL_MARKERS.user, SPECIAL_MARKERS.assistant, SPECIAL_MARKERS.endOfTurn];

/** File name → contents of the tokenizer files for `tok`. */
export function tokenizerFiles(tok: Tokenizer, opts?: { modelMaxLength?: number }): Record<string, string> {
  const eot = SPECIAL_MARKERS.endOfText;
  const added = addedTokens(tok);
  const specialTokensMap = { bos_token: eot, eos_token: eot, unk_token: eot, pad_token: eot, additional_special_tokens: CHAT_MARKERS };
  const config: Record<string, unknown> = {
    tokenizer_class: tok.kind === 'gpt2' ? 'GPT2Tokenizer' : 'PreTrainedTokenizerFast',
    add_prefix_space: false,
    bos_token: eot,
    eos_token: eot,
    unk_token: eot,
    pad_token: eot,
    additional_special_tokens: CHAT_MARKERS,
    added_tokens_decoder: Object.fromEntries(added.map(({ id, ...rest }) => [String(id), rest])),
    clean_up_tokenization_spaces: false,
    chat_template: CHAT_TEMPLATE_JINJA,
    ...(opts?.modelMaxLength ? { model_max_length: opts.modelMaxLength } : {}),
  };
  const files: Record<string, string> = {
    'hone_tokenizer.json': JSON.stringify(tok.toJSON(), null, 2),
    'tokenizer_config.json': JSON.stringify(config, null, 2),
    'special_tokens_map.json': JSON.stringify(specialTokensMap, null, 2),
  };
  if (tok.kind === 'gpt2') {
    const { vocab, merges } = gpt2VocabAndMerges();
    files['vocab.json'] = JSON.stringify(vocab);
    files['merges.txt'] = `#version: 0.2\n${merges.join('\n')}\n`;
  } else {
    const letters = bytesToUnicode();
    files['tokenizer.json'] = JSON.stringify({
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: added,
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
      post_processor: null,
      decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab: Object.fromEntries(letters.map((ch, b) => [ch, b])),
        merges: [],
      },
    });
  }
  return files;
}

export async function writeTokenizerFiles(dir: string, tok: Tokenizer, opts?: { modelMaxLength?: number }): Promise<void> {
  for (const [name, contents] of Object.entries(tokenizerFiles(tok, opts))) {
    await fs.writeFile(path.join(dir, name), contents);
  }
}

/** A JSON file's contents; undefined when the file does not exist, a clear error when it is not JSON. */
export async function readJSON(file: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * The tokenizer described by a checkpoint folder's files (see the header comment). `fallback`
 * is used when the folder has no tokenizer files (config.json's "hone_tokenizer", e.g. in a
 * folder written by transformers' save_pretrained, which saves no tokenizer).
 */
export async function readTokenizerFiles(dir: string, fallback?: TokenizerKind): Promise<Tokenizer> {
  const honeFile = path.join(dir, 'hone_tokenizer.json');
  const hone = (await readJSON(honeFile)) as Partial<HoneTokenizerJSON> | undefined;
  if (hone !== undefined) {
    const kind = hone.kind as TokenizerKind;
    if (kind !== 'byte' && kind !== 'gpt2') throw new Error(`${honeFile}: unknown tokenizer kind ${JSON.stringify(hone.kind)}`);
    const tok = createTokenizer(kind);
    if (hone.vocabSize !== tok.vocabSize) {
      throw new Error(`${honeFile}: vocabSize ${hone.vocabSize} does not match the ${kind} tokenizer's ${tok.vocabSize}`);
    }
    for (const [name, id] of Object.entries(tok.special)) {
      const got = (hone.special as Record<string, number> | undefined)?.[name];
      if (got !== id) throw new Error(`${honeFile}: special token ${name} is ${got}, the ${kind} tokenizer has ${id}`);
    }
    return tok;
  }
  const vocabFile = path.join(dir, 'vocab.json');
  const vocab = (await readJSON(vocabFile)) as Record<string, number> | undefined;
  if (vocab !== undefined) {
    if (vocab[SPECIAL_MARKERS.endOfText] !== 50256 || vocab['Ġthe'] !== 262) {
      throw new Error(`${vocabFile} is not GPT-2's vocabulary (<|endoftext|> must be 50256, "Ġthe" 262)`);
    }
    return createTokenizer('gpt2');
  }
  if (fallback) return createTokenizer(fallback);
  throw new Error(`no tokenizer in ${dir}: expected hone_tokenizer.json, or GPT-2's vocab.json and merges.txt`);
}
