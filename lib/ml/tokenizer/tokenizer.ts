// The one tokenizer interface that models, trainers and the chat template code against.
//
// Both implementations share one layout of special tokens, modelled on GPT-2:
//   <|endoftext|>  bos = eos = pad   (GPT-2 uses its one special token for all three; so do we,
//                                    which is why trainers must mask by length, never by pad id)
//   <|system|> <|user|> <|assistant|>  role markers of the chat template (chat.ts)
//   <|end|>        end of a turn
// followed by unused rows that round the model vocabulary up to a multiple of 8 (matmuls and
// embedding tables with a multiple-of-8 dimension are faster on every backend; nanoGPT pads
// GPT-2's 50257 to 50304 for the same reason). Unused ids decode to "<|unused:N|>" and are
// never produced by encode().

export type TokenizerKind = 'byte' | 'gpt2';

export type SpecialTokens = {
  bos: number;
  eos: number;
  pad: number;
  system: number;
  user: number;
  assistant: number;
  endOfTurn: number;
};

export type DecodeOptions = { skipSpecial?: boolean };

export interface Tokenizer {
  readonly kind: TokenizerKind;
  /** The model vocabulary: text ids + special ids + padding rows (a multiple of 8). */
  readonly vocabSize: number;
  readonly special: SpecialTokens;
  /** Plain text to ids. Never produces special ids: "<|user|>" in the text is encoded as text. */
  encode(text: string): number[];
  /** Ids to text. Special ids render as their markers ("<|user|>"), or vanish with skipSpecial. */
  decode(ids: number[], opts?: DecodeOptions): string;
  /** True for the special and unused ids (everything that is not text). */
  isSpecial(id: number): boolean;
  /** The description written into a checkpoint's hone_tokenizer.json. */
  toJSON(): HoneTokenizerJSON;
}

/** Contents of `hone_tokenizer.json` in a checkpoint folder. */
export type HoneTokenizerJSON = {
  format: 'hone-tokenizer/1';
  kind: TokenizerKind;
  vocabSize: number;
  /** Ids that carry text: bytes 0–255 for `byte`, GPT-2's 50256 BPE ranks for `gpt2`. */
  textVocabSize: number;
  special: SpecialTokens;
  /** Marker string → id, for every special id (unused padding rows excluded). */
  specialTokens: Record<string, number>;
  description: string;
};

export const SPECIAL_MARKERS = {
  endOfText: '<|endoftext|>',
  system: '<|system|>',
  user: '<|user|>',
  assistant: '<|assistant|>',
  endOfTurn: '<|end|>',
} as const;

/** Rounds a vocabulary up to a multiple of 8 (see the header comment). */
export function padVocab(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/**
 * The special ids of a tokenizer whose text ids are 0..textVocabSize-1 and whose
 * <|endoftext|> sits at `endOfText`; the chat markers follow it.
 */
export function layoutSpecials(endOfText: number): SpecialTokens {
  return {
    bos: endOfText,
    eos: endOfText,
    pad: endOfText,
    system: endOfText + 1,
    user: endOfText + 2,
    assistant: endOfText + 3,
    endOfTurn: endOfText + 4,
  };
}

export function specialTokenTable(special: SpecialTokens): Record<string, number> {
  return {
    [SPECIAL_MARKERS.endOfText]: special.eos,
    [SPECIAL_MARKERS.system]: special.system,
    [SPECIAL_MARKERS.user]: special.user,
    [SPECIAL_MARKERS.assistant]: special.assistant,
    [SPECIAL_MARKERS.endOfTurn]: special.endOfTurn,
  };
}

/**
 * Shared decode loop: text ids go through `bytesOf` into one byte buffer per run, decoded as
 * UTF-8 at once (so a character split across ids comes back whole); special ids cut the run
 * and render as their marker. Malformed UTF-8 (a model can sample it) becomes U+FFFD.
 */
export function decodeIds(
  ids: number[],
  opts: DecodeOptions | undefined,
  textVocabSize: number,
  vocabSize: number,
  bytesOf: (id: number) => Uint8Array,
  markers: Map<number, string>,
): string {
  const utf8 = new TextDecoder('utf-8');
  let out = '';
  let run: Uint8Array[] = [];
  let runLength = 0;
  const flush = () => {
    if (runLength === 0) return;
    const buf = new Uint8Array(runLength);
    let o = 0;
    for (const part of run) {
      buf.set(part, o);
      o += part.length;
    }
    out += utf8.decode(buf);
    run = [];
    runLength = 0;
  };
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new Error(`token id ${id} is outside the vocabulary [0, ${vocabSize})`);
    }
    if (id < textVocabSize) {
      const b = bytesOf(id);
      run.push(b);
      runLength += b.length;
      continue;
    }
    flush();
    if (!opts?.skipSpecial) out += markers.get(id) ?? `<|unused:${id}|>`;
  }
  flush();
  return out;
}
