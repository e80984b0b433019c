// GPT-2's byte-level BPE, from the `gpt-tokenizer` package's r50k_base encoding (the same
// 50257-entry vocabulary and pre-tokenisation regex as OpenAI's GPT-2 encoder.json/vocab.bpe
// and Hugging Face's GPT2Tokenizer).
//
// Ids: 0–50255 BPE ranks, 50256 <|endoftext|> (bos = eos = pad, as in GPT-2), then our chat
// specials <|system|> 50257, <|user|> 50258, <|assistant|> 50259, <|end|> 50260, then unused rows
// 50261–50263 that pad the model vocabulary to 50264 (a multiple of 8). A GPT-2 checkpoint from
// Hugging Face has vocab_size 50257: it encodes and decodes text the same, but needs its
// embedding grown (loadCheckpoint's `vocabSize` option) before it can see the chat specials.
//
// Encoding uses gpt-tokenizer with every special disallowed-as-special (so "<|endoftext|>" typed
// by a user is plain text, and encode never yields a special id). Decoding does not go through
// the package: we keep each id's bytes and UTF-8-decode whole runs, which is exact.
//
// For Hugging Face, `vocab.json` and `merges.txt` are rebuilt from the ranks: the vocabulary is
// the ranks with GPT-2's bytes_to_unicode byte→character map; each merge is the last pair that
// byte-level BPE with the lower ranks leaves for a token (the derivation transformers uses to
// convert tiktoken files, TikTokenConverter.extract_vocab_merges_from_model).
import bpeRanks from 'gpt-tokenizer/bpeRanks/r50k_base';
import { encode as r50kEncode } from 'gpt-tokenizer/encoding/r50k_base';
import {
  decodeIds,
  layoutSpecials,
  padVocab,
  specialTokenTable,
  type DecodeOptions,
  type HoneTokenizerJSON,
  type SpecialTokens,
  type Tokenizer,
} from './tokenizer';

const TEXT_VOCAB = 50256; // BPE ranks 0..50255; 50256 is <|endoftext|>
const SPECIAL = layoutSpecials(TEXT_VOCAB);
export const GPT2_VOCAB_SIZE = padVocab(SPECIAL.endOfTurn + 1); // 50264
/** GPT-2's own vocabulary size (config.json of Hugging Face's gpt2). */
export const GPT2_HF_VOCAB_SIZE = 50257;

const NO_SPECIALS = { disallowedSpecial: new Set<string>() };

let tokenBytes: Uint8Array[] | undefined;
/** Bytes of every BPE rank, built once from the package's rank table. */
function rankBytes(): Uint8Array[] {
  if (tokenBytes) return tokenBytes;
  const utf8 = new TextEncoder();
  const table: Uint8Array[] = new Array(TEXT_VOCAB);
  for (let rank = 0; rank < TEXT_VOCAB; rank++) {
    const v = bpeRanks[rank];
    if (v === undefined) throw new Error(`gpt-tokenizer's r50k_base table has no entry for rank ${rank}`);
    table[rank] = typeof v === 'string' ? utf8.encode(v) : Uint8Array.from(v);
  }
  tokenBytes = table;
  return table;
}

export class Gpt2Tokenizer implements Tokenizer {
  readonly kind = 'gpt2' as const;
  readonly vocabSize = GPT2_VOCAB_SIZE;
  readonly special: SpecialTokens = { ...SPECIAL };
  private readonly markers = new Map(Object.entries(specialTokenTable(SPECIAL)).map(([m, id]) => [id, m]));

  encode(text: string): number[] {
    return r50kEncode(text, NO_SPECIALS);
  }

  decode(ids: number[], opts?: DecodeOptions): string {
    const bytes = rankBytes();
    return decodeIds(ids, opts, TEXT_VOCAB, this.vocabSize, (id) => bytes[id], this.markers);
  }

  isSpecial(id: number): boolean {
    return id >= TEXT_VOCAB;
  }

  toJSON(): HoneTokenizerJSON {
    return {
      format: 'hone-tokenizer/1',
      kind: 'gpt2',
      vocabSize: this.vocabSize,
      textVocabSize: TEXT_VOCAB,
      special: { ...this.special },
      specialTokens: specialTokenTable(this.special),
      description:
        "GPT-2 byte-level BPE (r50k_base, as in vocab.json/merges.txt); <|endoftext|> 50256 is bos/eos/pad; chat specials follow; ids from " +
        `${SPECIAL.endOfTurn + 1} to ${GPT2_VOCAB_SIZE - 1} are unused padding rows.`,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Hugging Face files: vocab.json and merges.txt
// ---------------------------------------------------------------------------------------------

/** GPT-2's bytes_to_unicode(): a printable character for each byte, used as BPE "letters". */
export function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = '!'.charCodeAt(0); b <= '~'.charCodeAt(0); b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n);
      n++;
    }
  }
  const map: string[] = new Array(256);
  bs.forEach((b, i) => (map[b] = String.fromCharCode(cs[i])));
  return map;
}

let hfFiles: { vocab: Record<string, number>; merges: string[] } | undefined;

/**
 * GPT-2's vocab.json (token → id, in bytes_to_unicode letters, with <|endoftext|>) and its
 * 50000 merges in rank order, derived from the rank table.
 */
export function gpt2VocabAndMerges(): { vocab: Record<string, number>; merges: string[] } {
  if (hfFiles) return hfFiles;
  const bytes = rankBytes();
  const letters = bytesToUnicode();
  const asLetters = (b: Uint8Array) => Array.from(b, (x) => letters[x]).join('');
  // Ranks keyed by the token's bytes as a latin1 string (one char per byte).
  const rankOf = new Map<string, number>();
  const keys = bytes.map((b) => String.fromCharCode(...b));
  keys.forEach((k, rank) => rankOf.set(k, rank));

  const vocab: Record<string, number> = {};
  const merges: { rank: number; line: string }[] = [];
  for (let rank = 0; rank < TEXT_VOCAB; rank++) {
    vocab[asLetters(bytes[rank])] = rank;
    const key = keys[rank];
    if (key.length === 1) continue;
    // Byte-level BPE of this token using only merges of lower rank: it stops at two parts.
    let parts = Array.from(key);
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < parts.length; i++) {
        const r = rankOf.get(parts[i] + parts[i + 1]);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0 || bestRank >= rank) break;
      parts = [...parts.slice(0, best), parts[best] + parts[best + 1], ...parts.slice(best + 2)];
    }
    if (parts.length !== 2) throw new Error(`cannot derive the merge for GPT-2 token ${rank}`);
    const toLetters = (s: string) => Array.from(s, (c) => letters[c.charCodeAt(0)]).join('');
    merges.push({ rank, line: `${toLetters(parts[0])} ${toLetters(parts[1])}` });
  }
  vocab['<|endoftext|>'] = TEXT_VOCAB;
  merges.sort((a, b) => a.rank - b.rank);
  hfFiles = { vocab, merges: merges.map((m) => m.line) };
  return hfFiles;
}
