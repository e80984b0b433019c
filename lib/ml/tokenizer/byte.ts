// Byte-level tokenizer for models trained from scratch: id = UTF-8 byte (0–255), then the
// specials of tokenizer.ts: <|endoftext|> 256, <|system|> 257, <|user|> 258, <|assistant|> 259,
// <|end|> 260, and unused rows 261–263 that pad the vocabulary to 264 (a multiple of 8).
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

const TEXT_VOCAB = 256;
const SPECIAL = layoutSpecials(TEXT_VOCAB);
export const BYTE_VOCAB_SIZE = padVocab(SPECIAL.endOfTurn + 1); // 264

const BYTES: Uint8Array[] = Array.from({ length: TEXT_VOCAB }, (_, b) => Uint8Array.of(b));

export class ByteTokenizer implements Tokenizer {
  readonly kind = 'byte' as const;
  readonly vocabSize = BYTE_VOCAB_SIZE;
  readonly special: SpecialTokens = { ...SPECIAL };
  private readonly markers = new Map(Object.entries(specialTokenTable(SPECIAL)).map(([m, id]) => [id, m]));
  private readonly utf8 = new TextEncoder();

  encode(text: string): number[] {
    return Array.from(this.utf8.encode(text));
  }

  decode(ids: number[], opts?: DecodeOptions): string {
    return decodeIds(ids, opts, TEXT_VOCAB, this.vocabSize, (id) => BYTES[id], this.markers);
  }

  isSpecial(id: number): boolean {
    return id >= TEXT_VOCAB;
  }

  toJSON(): HoneTokenizerJSON {
    return {
      format: 'hone-tokenizer/1',
      kind: 'byte',
      vocabSize: this.vocabSize,
      textVocabSize: TEXT_VOCAB,
      special: { ...this.special },
      specialTokens: specialTokenTable(this.special),
      description:
        'Byte-level: ids 0-255 are the UTF-8 bytes of the text; specials follow; ids from ' +
        `${SPECIAL.endOfTurn + 1} to ${BYTE_VOCAB_SIZE - 1} are unused padding rows.`,
    };
  }
}
