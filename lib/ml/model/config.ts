import { BYTE_VOCAB_SIZE } from '../tokenizer/byte';
import { PRESET_SHAPES, type ModelShape, type PresetName } from '../../shared/model-shape';

// GPT-2 hyper-parameters, named as in Hugging Face's GPT2Config (n_positions, n_embd, …) so a
// checkpoint's config.json maps onto this type field by field.
export type GPTConfig = {
  vocabSize: number; // rows of wte; the tokenizer fixes it (byte: 256 + specials, gpt2: 50257 + chat specials)
  nPositions: number; // context length = rows of wpe
  nEmbd: number; // C, the residual width
  nLayer: number;
  nHead: number; // head_dim = nEmbd / nHead
  layerNormEpsilon: number; // 1e-5 in GPT-2 (not PyTorch's 1e-5 default by coincidence: HF sets it explicitly)
  tokenizer: 'byte' | 'gpt2';
};

export type { PresetName };

// Vocabulary sizes come from the tokenizers (lib/ml/tokenizer): byte = 256 bytes + chat
// specials, padded to 264; GPT-2 = 50257 + chat specials, padded to 50264 (multiples of 8).
// The GPT-2 number is repeated rather than imported because lib/ml/tokenizer/gpt2 loads the
// whole BPE table on import; config.test.ts checks that it equals GPT2_VOCAB_SIZE.
export { BYTE_VOCAB_SIZE };
export const GPT2_VOCAB_SIZE = 50264;

/** A model's config from its shape (lib/shared/model-shape), with GPT-2's layer-norm epsilon. */
export function configOfShape(s: ModelShape): GPTConfig {
  return { vocabSize: s.vocabSize, nPositions: s.nPositions, nEmbd: s.nEmbd, nLayer: s.nLayer, nHead: s.nHead, layerNormEpsilon: 1e-5, tokenizer: s.tokenizer };
}

/** The shape of a config (what a checkpoint row stores). */
export function shapeOfConfig(c: GPTConfig): ModelShape {
  return { nLayer: c.nLayer, nEmbd: c.nEmbd, nHead: c.nHead, nPositions: c.nPositions, vocabSize: c.vocabSize, tokenizer: c.tokenizer };
}

// The shapes live in lib/shared/model-shape (the launch form and the web app need them too).
export const PRESETS: Record<PresetName, GPTConfig> = {
  nano: configOfShape(PRESET_SHAPES.nano),
  mini: configOfShape(PRESET_SHAPES.mini),
  small: configOfShape(PRESET_SHAPES.small),
  gpt2: configOfShape(PRESET_SHAPES.gpt2),
};

/** Throws naming the field when a config cannot describe a GPT-2 model. */
export function validateConfig(c: GPTConfig): void {
  for (const k of ['vocabSize', 'nPositions', 'nEmbd', 'nLayer', 'nHead'] as const) {
    if (!Number.isInteger(c[k]) || c[k] <= 0) throw new Error(`GPTConfig.${k} must be a positive integer, got ${c[k]}`);
  }
  if (c.nEmbd % c.nHead !== 0) throw new Error(`GPTConfig.nEmbd (${c.nEmbd}) must be divisible by nHead (${c.nHead})`);
  if (!(c.layerNormEpsilon > 0)) throw new Error(`GPTConfig.layerNormEpsilon must be > 0, got ${c.layerNormEpsilon}`);
  if (c.tokenizer !== 'byte' && c.tokenizer !== 'gpt2') throw new Error(`GPTConfig.tokenizer must be 'byte' or 'gpt2', got ${String(c.tokenizer)}`);
}

/** HF GPT-2 parameter names and shapes, in model order. Layouts are Conv1D's [in, out]. */
export function parameterShapes(c: GPTConfig): [string, number[]][] {
  const C = c.nEmbd;
  const out: [string, number[]][] = [
    ['wte.weight', [c.vocabSize, C]],
    ['wpe.weight', [c.nPositions, C]],
  ];
  for (let i = 0; i < c.nLayer; i++) {
    out.push(
      [`h.${i}.ln_1.weight`, [C]],
      [`h.${i}.ln_1.bias`, [C]],
      [`h.${i}.attn.c_attn.weight`, [C, 3 * C]],
      [`h.${i}.attn.c_attn.bias`, [3 * C]],
      [`h.${i}.attn.c_proj.weight`, [C, C]],
      [`h.${i}.attn.c_proj.bias`, [C]],
      [`h.${i}.ln_2.weight`, [C]],
      [`h.${i}.ln_2.bias`, [C]],
      [`h.${i}.mlp.c_fc.weight`, [C, 4 * C]],
      [`h.${i}.mlp.c_fc.bias`, [4 * C]],
      [`h.${i}.mlp.c_proj.weight`, [4 * C, C]],
      [`h.${i}.mlp.c_proj.bias`, [C]],
    );
  }
  out.push(['ln_f.weight', [C]], ['ln_f.bias', [C]]);
  return out;
}

/** Number of parameters (tied lm head counted once, as HF does). */
export function parameterCount(c: GPTConfig): number {
  return parameterShapes(c).reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
}
