// The shape of a GPT-2-family model, as the web app, the launch form and the worker all need it
// (zod-only, client-safe). A checkpoint row stores its shape (Checkpoint.modelConfig) and a
// shape key (Checkpoint.preset): the preset's name when the shape is a preset's, else a key
// built from the dimensions, so a registered distilgpt2 and a 3-layer test model are told apart
// and a round can only continue a checkpoint of its own shape.
import { z } from 'zod';

export const TokenizerKindSchema = z.enum(['byte', 'gpt2']);

export const ModelShapeSchema = z.object({
  nLayer: z.number().int().positive(),
  nEmbd: z.number().int().positive(),
  nHead: z.number().int().positive(),
  /** Context length (rows of wpe). */
  nPositions: z.number().int().positive(),
  /** Rows of wte after Hone's chat specials (byte 264, gpt2 50264). */
  vocabSize: z.number().int().positive(),
  tokenizer: TokenizerKindSchema,
});
export type ModelShape = z.infer<typeof ModelShapeSchema>;

/** Vocabulary rows per tokenizer (lib/ml/tokenizer checks these are its sizes). */
export const VOCAB_SIZE = { byte: 264, gpt2: 50264 } as const;

export const PRESET_SHAPES = {
  // Trains in seconds: for tests and smoke runs.
  nano: { nLayer: 2, nEmbd: 64, nHead: 4, nPositions: 64, vocabSize: VOCAB_SIZE.byte, tokenizer: 'byte' },
  // Between the two (~0.8M parameters): the demo's and bench:loop's base, readable English in minutes on 2 cores.
  mini: { nLayer: 4, nEmbd: 128, nHead: 4, nPositions: 128, vocabSize: VOCAB_SIZE.byte, tokenizer: 'byte' },
  // The from-scratch model the benchmark measures (~3.2M parameters).
  small: { nLayer: 4, nEmbd: 256, nHead: 8, nPositions: 128, vocabSize: VOCAB_SIZE.byte, tokenizer: 'byte' },
  // GPT-2 124M: a registered Hugging Face `gpt2` has this shape.
  gpt2: { nLayer: 12, nEmbd: 768, nHead: 12, nPositions: 1024, vocabSize: VOCAB_SIZE.gpt2, tokenizer: 'gpt2' },
} as const satisfies Record<string, ModelShape>;
export type PresetName = keyof typeof PRESET_SHAPES;
export const PRESET_NAMES = Object.keys(PRESET_SHAPES) as PresetName[];

/** Presets a round may pretrain from scratch (gpt2's shape only comes from registered weights). */
export const SCRATCH_PRESETS: readonly PresetName[] = ['nano', 'mini', 'small'];

const sameShape = (a: ModelShape, b: ModelShape) =>
  a.nLayer === b.nLayer && a.nEmbd === b.nEmbd && a.nHead === b.nHead && a.nPositions === b.nPositions && a.vocabSize === b.vocabSize && a.tokenizer === b.tokenizer;

/** "gpt2" for GPT-2 124M's shape, else e.g. "gpt2-family-L6-C768-H12-T1024" (distilgpt2). */
export function shapeKey(s: ModelShape): string {
  for (const name of PRESET_NAMES) if (sameShape(s, PRESET_SHAPES[name])) return name;
  const family = s.tokenizer === 'gpt2' ? 'gpt2-family' : 'byte';
  return `${family}-L${s.nLayer}-C${s.nEmbd}-H${s.nHead}-T${s.nPositions}`;
}

/** The shape a key names: a preset, or the dimensions spelled in the key; null when neither. */
export function shapeOfKey(key: string): ModelShape | null {
  if (key in PRESET_SHAPES) return PRESET_SHAPES[key as PresetName];
  const m = /^(gpt2-family|byte)-L(\d+)-C(\d+)-H(\d+)-T(\d+)$/.exec(key);
  if (!m) return null;
  const tokenizer = m[1] === 'byte' ? 'byte' : 'gpt2';
  return { nLayer: +m[2], nEmbd: +m[3], nHead: +m[4], nPositions: +m[5], vocabSize: VOCAB_SIZE[tokenizer], tokenizer };
}

/** Parameters, the tied head counted once (as Hugging Face counts them). */
export function parameterCountOf(s: ModelShape): number {
  const C = s.nEmbd;
  const perLayer = 2 * C + (C * 3 * C + 3 * C) + (C * C + C) + 2 * C + (C * 4 * C + 4 * C) + (4 * C * C + C);
  return s.vocabSize * C + s.nPositions * C + s.nLayer * perLayer + 2 * C;
}

/** "124M", "7.2M", "85k": a parameter count for people. */
export function formatParameters(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)}M`;
  if (n >= 1e3) return `${Math.round(n / 1e3)}k`;
  return String(n);
}

/** One line for a person: "12 layers × 768, 12 heads, context 1024, GPT-2 BPE, 124M parameters". */
export function describeShape(s: ModelShape): string {
  const tok = s.tokenizer === 'gpt2' ? 'GPT-2 BPE' : 'byte tokenizer';
  return `${s.nLayer} layers × ${s.nEmbd}, ${s.nHead} heads, context ${s.nPositions}, ${tok}, ${formatParameters(parameterCountOf(s))} parameters`;
}

/** A table cell's form: "3 × 96, ctx 128, GPT-2 BPE" (layers × width, context, tokenizer). */
export function shortShape(s: ModelShape): string {
  return `${s.nLayer} × ${s.nEmbd}, ctx ${s.nPositions}, ${s.tokenizer === 'gpt2' ? 'GPT-2 BPE' : 'bytes'}`;
}
