// The checkpoint folder, independent of the model class (checkpoint.ts wraps it around GPT).
//
//   <dir>/model.safetensors      HF GPT-2 names (wte.weight [V, C], h.{i}.attn.c_attn.weight
//                                [C, 3C], …), F32, metadata {"format": "pt"} (transformers
//                                refuses a safetensors file without it); heads beside the
//                                backbone (score.weight [1, C] for a reward model)
//   <dir>/config.json            Hugging Face GPT2Config (+ "hone_tokenizer": "byte" | "gpt2")
//   <dir>/generation_config.json transformers' GenerationConfig (language models): generate()
//                                stops at <|end|> as well as <|endoftext|>
//   <dir>/hone.json              HoneMeta: stage, parent, datasetHash, step, metrics, …
//   <dir>/optimizer.safetensors  optimizer state for resume (optional)
//   <dir>/hone_tokenizer.json, tokenizer_config.json, … (lib/ml/tokenizer/files.ts)
//
// Saving writes everything into `<dir>.tmp-<random>` next to the target and renames it over
// `<dir>` at the end, so a folder under the final name is always complete. A failure removes
// the temporary folder. (Replacing an existing checkpoint renames the old one aside first, since
// rename() cannot replace a non-empty folder; in that instant `<dir>` is briefly absent, never
// half-written.)
//
// Loading accepts what transformers writes too: names with the `transformer.` prefix of
// GPT2LMHeadModel, `lm_head.weight` (ignored: the head is tied to wte), the `h.N.attn.bias` /
// `h.N.attn.masked_bias` buffers of older GPT-2 files (skipped), F16/BF16 weights (decoded to
// float32), and a folder without hone.json (stage "base", step 0).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { parameterShapes, validateConfig, type GPTConfig } from '../model/config';
import { readTokenizerFiles, writeTokenizerFiles, type Tokenizer } from '../tokenizer';
import { readSafetensors, readSafetensorsRaw, serializeSafetensors, tensorsToWritable, writeSafetensors, type WritableTensor } from './safetensors';

export type Stage = 'base' | 'pretrain' | 'sft' | 'rm' | 'policy' | 'value';
export const STAGES: readonly Stage[] = ['base', 'pretrain', 'sft', 'rm', 'policy', 'value'];

export type HoneMeta = {
  stage: Stage;
  preset?: string;
  parent?: string | null;
  datasetHash?: string | null;
  step: number;
  metrics?: Record<string, unknown>;
  trainerState?: unknown;
  createdAt?: string;
};

export type Architecture = 'lm' | 'reward';

export const FILES = {
  model: 'model.safetensors',
  config: 'config.json',
  hone: 'hone.json',
  optimizer: 'optimizer.safetensors',
  generation: 'generation_config.json',
} as const;

const HF_ARCHITECTURES: Record<Architecture, string> = { lm: 'GPT2LMHeadModel', reward: 'GPT2ForSequenceClassification' };

// ---------------------------------------------------------------------------------------------
// config.json
// ---------------------------------------------------------------------------------------------

/** Hugging Face GPT2Config for our model (what transformers' GPT2Config.to_dict() would write). */
export function toHfConfig(config: GPTConfig, tok: Tokenizer, architecture: Architecture = 'lm'): Record<string, unknown> {
  return {
    model_type: 'gpt2',
    architectures: [HF_ARCHITECTURES[architecture]],
    vocab_size: config.vocabSize,
    n_positions: config.nPositions,
    n_ctx: config.nPositions,
    n_embd: config.nEmbd,
    n_layer: config.nLayer,
    n_head: config.nHead,
    n_inner: null, // = 4 * n_embd
    activation_function: 'gelu_new',
    layer_norm_epsilon: config.layerNormEpsilon,
    // Hone trains without dropout; GPT2Config's defaults (0.1) would make transformers and TRL
    // train a different model (TRL's SFT loss on a Hone checkpoint was 0.96 instead of 0.05).
    resid_pdrop: 0,
    embd_pdrop: 0,
    attn_pdrop: 0,
    summary_first_dropout: 0,
    initializer_range: 0.02,
    scale_attn_weights: true,
    scale_attn_by_inverse_layer_idx: false,
    reorder_and_upcast_attn: false,
    tie_word_embeddings: true,
    use_cache: true,
    bos_token_id: tok.special.bos,
    eos_token_id: tok.special.eos,
    pad_token_id: tok.special.pad, // GPT2ForSequenceClassification finds the last real token with it
    ...(architecture === 'reward' ? { num_labels: 1, id2label: { '0': 'LABEL_0' }, label2id: { LABEL_0: 0 } } : {}),
    torch_dtype: 'float32',
    hone_tokenizer: config.tokenizer,
  };
}

/**
 * transformers' generation_config.json: generate() stops at the end of an assistant turn
 * (<|end|>), not only at <|endoftext|>, which config.json's single eos_token_id names.
 */
export function toHfGenerationConfig(tok: Tokenizer): Record<string, unknown> {
  return {
    bos_token_id: tok.special.bos,
    eos_token_id: [tok.special.eos, tok.special.endOfTurn],
    pad_token_id: tok.special.pad,
  };
}

function int(cfg: Record<string, unknown>, key: string, file: string): number {
  const v = cfg[key];
  if (!Number.isInteger(v) || (v as number) <= 0) throw new Error(`${file}: "${key}" must be a positive integer, got ${JSON.stringify(v)}`);
  return v as number;
}

/**
 * GPTConfig and architecture from a config.json object. Rejects GPT-2 variants our model does
 * not compute (another activation, n_inner ≠ 4·n_embd, untied head, per-layer attention scaling).
 */
export function fromHfConfig(
  cfg: Record<string, unknown>,
  tokenizerKind: 'byte' | 'gpt2',
  file: string = FILES.config,
): { config: GPTConfig; architecture: Architecture } {
  if (cfg.model_type !== 'gpt2') throw new Error(`${file}: model_type must be "gpt2", got ${JSON.stringify(cfg.model_type)}`);
  const nEmbd = int(cfg, 'n_embd', file);
  const act = cfg.activation_function ?? 'gelu_new';
  if (act !== 'gelu_new' && act !== 'gelu_pytorch_tanh') {
    throw new Error(`${file}: activation_function ${JSON.stringify(act)} is not supported (GPT-2 uses "gelu_new")`);
  }
  if (cfg.n_inner !== undefined && cfg.n_inner !== null && cfg.n_inner !== 4 * nEmbd) {
    throw new Error(`${file}: n_inner ${cfg.n_inner} is not supported (must be null or 4 * n_embd = ${4 * nEmbd})`);
  }
  if (cfg.tie_word_embeddings === false) throw new Error(`${file}: tie_word_embeddings false is not supported (GPT-2 ties lm_head to wte)`);
  if (cfg.scale_attn_by_inverse_layer_idx === true) throw new Error(`${file}: scale_attn_by_inverse_layer_idx is not supported`);
  if (cfg.scale_attn_weights === false) throw new Error(`${file}: scale_attn_weights false is not supported`);
  if (cfg.hone_tokenizer !== undefined && cfg.hone_tokenizer !== tokenizerKind) {
    throw new Error(`${file}: hone_tokenizer is ${JSON.stringify(cfg.hone_tokenizer)} but the tokenizer files describe "${tokenizerKind}"`);
  }
  const archs = Array.isArray(cfg.architectures) ? (cfg.architectures as unknown[]) : ['GPT2LMHeadModel'];
  let architecture: Architecture;
  if (archs.includes('GPT2ForSequenceClassification')) architecture = 'reward';
  else if (archs.some((a) => a === 'GPT2LMHeadModel' || a === 'GPT2Model')) architecture = 'lm';
  else throw new Error(`${file}: architectures ${JSON.stringify(cfg.architectures)} are not supported (GPT2LMHeadModel or GPT2ForSequenceClassification)`);
  const eps = cfg.layer_norm_epsilon ?? 1e-5;
  const config: GPTConfig = {
    vocabSize: int(cfg, 'vocab_size', file),
    nPositions: int(cfg, 'n_positions', file),
    nEmbd,
    nLayer: int(cfg, 'n_layer', file),
    nHead: int(cfg, 'n_head', file),
    layerNormEpsilon: eps as number,
    tokenizer: tokenizerKind,
  };
  try {
    validateConfig(config);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  return { config, architecture };
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

async function readJSONFile(file: string): Promise<unknown | undefined> {
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

function parseHone(raw: unknown, file: string): HoneMeta {
  if (raw === undefined) return { stage: 'base', step: 0, parent: null };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${file} must be a JSON object`);
  const h = raw as Partial<HoneMeta>;
  if (!STAGES.includes(h.stage as Stage)) throw new Error(`${file}: stage must be one of ${STAGES.join(', ')}, got ${JSON.stringify(h.stage)}`);
  if (!Number.isInteger(h.step) || (h.step as number) < 0) throw new Error(`${file}: step must be a non-negative integer, got ${JSON.stringify(h.step)}`);
  return h as HoneMeta;
}

export type CheckpointMeta = { hone: HoneMeta; config: GPTConfig; architecture: Architecture; tokenizer: Tokenizer };

/** config.json, hone.json and the tokenizer of a checkpoint folder, without the weights. */
export async function readMeta(dir: string): Promise<CheckpointMeta> {
  const configFile = path.join(dir, FILES.config);
  const cfg = await readJSONFile(configFile);
  if (cfg === undefined) {
    try {
      await fs.access(dir);
    } catch {
      throw new Error(`checkpoint ${dir} does not exist`);
    }
    throw new Error(`checkpoint ${dir} has no ${FILES.config}`);
  }
  if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg)) throw new Error(`${configFile} must be a JSON object`);
  const declared = (cfg as Record<string, unknown>).hone_tokenizer;
  const tokenizer = await readTokenizerFiles(dir, declared === 'byte' || declared === 'gpt2' ? declared : undefined);
  const { config, architecture } = fromHfConfig(cfg as Record<string, unknown>, tokenizer.kind, configFile);
  const hone = parseHone(await readJSONFile(path.join(dir, FILES.hone)), path.join(dir, FILES.hone));
  return { hone, config, architecture, tokenizer };
}

/** Buffers of older GPT-2 files that are not parameters (the causal mask and its fill value). */
const NON_PARAMETER = /^h\.\d+\.attn\.(bias|masked_bias)$/;
const BACKBONE = /^(wte|wpe|ln_f)\.|^h\.\d+\./;

function shapeStr(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}

export type LoadedWeights = CheckpointMeta & {
  /** Backbone parameters by HF name (no `transformer.` prefix), float32, shapes checked. */
  weights: Map<string, tf.Tensor>;
  /** Every other tensor of model.safetensors (heads such as score.weight). */
  extraTensors: Map<string, tf.Tensor>;
  optimizerState?: Map<string, tf.Tensor>;
};

const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16', 'F64']);

/** Names of model.safetensors that loading skips: the tied head and GPT-2's non-parameter buffers. */
export function isSkippedTensor(stored: string): boolean {
  const name = stored.startsWith('transformer.') ? stored.slice('transformer.'.length) : stored;
  return stored === 'lm_head.weight' || NON_PARAMETER.test(name);
}

/**
 * Checks the tensors of a model.safetensors (name → dtype and shape, from its header or its
 * decoded data) against what config.json describes: every backbone parameter present once, with
 * its shape and a float dtype, nothing of another layer count, score.weight for a reward model.
 * Returns HF name (no `transformer.` prefix) → the name as stored. Skipped tensors must be
 * left out by the caller (isSkippedTensor).
 */
export function checkTensorInventory(
  tensors: Iterable<[string, { dtype: string; shape: readonly number[] }]>,
  config: GPTConfig,
  architecture: Architecture,
  file: string,
): Map<string, string> {
  const strip = (name: string) => (name.startsWith('transformer.') ? name.slice('transformer.'.length) : name);
  const expected = new Map(parameterShapes(config));
  const seen = new Map<string, string>();
  const entries = new Map<string, { dtype: string; shape: readonly number[] }>();
  for (const [stored, t] of tensors) {
    const name = strip(stored);
    if (seen.has(name)) throw new Error(`${file}: tensor "${name}" appears twice (as "${seen.get(name)}" and "${stored}")`);
    seen.set(name, stored);
    entries.set(name, t);
    if (expected.has(name) || BACKBONE.test(name)) {
      const want = expected.get(name);
      if (!want) {
        throw new Error(
          `${file}: tensor "${name}" ${shapeStr(t.shape)} does not belong to the model config.json describes ` +
            `(n_layer ${config.nLayer}): config.json does not match the weights`,
        );
      }
      if (shapeStr(want) !== shapeStr(t.shape)) {
        throw new Error(`${file}: tensor "${name}" has shape ${shapeStr(t.shape)} but config.json implies ${shapeStr(want)}`);
      }
      if (!FLOAT_DTYPES.has(t.dtype)) throw new Error(`${file}: tensor "${name}" has dtype ${t.dtype}, expected a float (F32, F16, BF16)`);
    }
  }
  for (const [name, shape] of expected) {
    if (!seen.has(name)) throw new Error(`${file}: missing tensor "${name}" (config.json implies shape ${shapeStr(shape)})`);
  }
  if (architecture === 'reward') {
    const score = entries.get('score.weight');
    if (!score) throw new Error(`${file}: missing tensor "score.weight" (config.json says GPT2ForSequenceClassification, shape [1, ${config.nEmbd}])`);
    if (shapeStr(score.shape) !== shapeStr([1, config.nEmbd])) {
      throw new Error(`${file}: tensor "score.weight" has shape ${shapeStr(score.shape)} but config.json implies [1, ${config.nEmbd}]`);
    }
  }
  return seen;
}

/**
 * Reads and validates a checkpoint folder into tensors (the caller owns them). With
 * `vocabSize` larger than the checkpoint's (Hugging Face's gpt2 has 50257 rows, our gpt2
 * tokenizer needs 50264 for the chat specials), wte grows to that many rows, the new ones set
 * to the mean of the old (as transformers' resize_token_embeddings does), and config.vocabSize
 * follows.
 */
export async function readCheckpointFolder(dir: string, opts?: { withOptimizer?: boolean; vocabSize?: number }): Promise<LoadedWeights> {
  const meta = await readMeta(dir);
  const { config } = meta;
  const file = path.join(dir, FILES.model);
  const raw = await readSafetensorsRaw(file, { include: (name) => !isSkippedTensor(name) });
  const expected = new Map(parameterShapes(config));
  const weights = new Map<string, tf.Tensor>();
  const extraTensors = new Map<string, tf.Tensor>();
  const seen = checkTensorInventory(raw.tensors, config, meta.architecture, file);

  // A model needs a row for every id its tokenizer makes: a folder written by transformers
  // (GPT-2's 50257 rows) grows to the chat markers' 50264 unless asked for more.
  const wanted = opts?.vocabSize ?? Math.max(config.vocabSize, meta.tokenizer.vocabSize);
  let vocabSize = config.vocabSize;
  if (wanted !== config.vocabSize) {
    if (!Number.isInteger(wanted) || wanted < config.vocabSize) {
      throw new Error(`vocabSize ${wanted} must be an integer no smaller than the checkpoint's ${config.vocabSize}`);
    }
    vocabSize = wanted;
  }
  for (const [name, stored] of seen) {
    const t = raw.tensors.get(stored)!;
    if (name === 'wte.weight' && vocabSize !== config.vocabSize) {
      weights.set(name, tf.tensor2d(growRows(t.data as Float32Array, config.vocabSize, config.nEmbd, vocabSize), [vocabSize, config.nEmbd]));
      continue;
    }
    const tensor = tf.tensor(t.data, t.shape, t.data instanceof Float32Array ? 'float32' : 'int32');
    (expected.has(name) ? weights : extraTensors).set(name, tensor);
  }

  let optimizerState: Map<string, tf.Tensor> | undefined;
  if (opts?.withOptimizer) {
    const optFile = path.join(dir, FILES.optimizer);
    try {
      await fs.access(optFile);
      optimizerState = (await readSafetensors(optFile)).tensors;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return { ...meta, config: { ...config, vocabSize }, weights, extraTensors, optimizerState };
}

/** wte [V, C] → [V', C], the new rows the mean of the old ones. */
export function growRows(data: Float32Array, rows: number, cols: number, newRows: number): Float32Array {
  const out = new Float32Array(newRows * cols);
  out.set(data.subarray(0, rows * cols));
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += data[r * cols + c];
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  for (let r = rows; r < newRows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = mean[c];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

export type FolderContents = {
  config: GPTConfig;
  /** Backbone parameters by HF name: tensors, or raw arrays (a registered base never enters TensorFlow). */
  params: Map<string, tf.Tensor | WritableTensor>;
  tokenizer: Tokenizer;
  hone: HoneMeta;
  extraTensors?: Map<string, tf.Tensor>;
  optimizerState?: Map<string, tf.Tensor>;
  architecture?: Architecture;
};

/** Checks that the params are exactly what config describes (names and shapes). */
function checkParams(c: FolderContents): void {
  const expected = new Map(parameterShapes(c.config));
  for (const [name, shape] of expected) {
    const t = c.params.get(name);
    if (!t) throw new Error(`cannot save: missing parameter "${name}" (config implies ${shapeStr(shape)})`);
    if (shapeStr(t.shape) !== shapeStr(shape)) throw new Error(`cannot save: parameter "${name}" has shape ${shapeStr(t.shape)}, config implies ${shapeStr(shape)}`);
  }
  for (const name of c.params.keys()) {
    if (!expected.has(name)) throw new Error(`cannot save: parameter "${name}" is not part of the GPT-2 layout of this config`);
  }
  for (const name of c.extraTensors?.keys() ?? []) {
    if (expected.has(name) || BACKBONE.test(name)) throw new Error(`cannot save: extra tensor "${name}" collides with a backbone parameter name`);
  }
  if (c.architecture === 'reward') {
    const score = c.extraTensors?.get('score.weight');
    if (!score) throw new Error('cannot save a reward model without extra tensor "score.weight"');
    if (shapeStr(score.shape) !== shapeStr([1, c.config.nEmbd])) {
      throw new Error(`cannot save: "score.weight" has shape ${shapeStr(score.shape)}, expected [1, ${c.config.nEmbd}]`);
    }
  }
  if (c.config.tokenizer !== c.tokenizer.kind) {
    throw new Error(`cannot save: the model's config says tokenizer "${c.config.tokenizer}" but a "${c.tokenizer.kind}" tokenizer was given`);
  }
  if (!STAGES.includes(c.hone.stage)) throw new Error(`cannot save: hone.stage must be one of ${STAGES.join(', ')}, got ${JSON.stringify(c.hone.stage)}`);
  if (!Number.isInteger(c.hone.step) || c.hone.step < 0) throw new Error(`cannot save: hone.step must be a non-negative integer, got ${c.hone.step}`);
}

/** Test hook: called after each file is written into the temporary folder. */
export type WriteHook = (file: string) => void | Promise<void>;

/** Writes a checkpoint folder atomically (see the header comment). */
export async function writeCheckpointFolder(dir: string, c: FolderContents, hooks?: { afterFile?: WriteHook }): Promise<void> {
  validateConfig(c.config);
  checkParams(c);
  const target = path.resolve(dir);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${randomBytes(6).toString('hex')}`;
  await fs.mkdir(tmp);
  try {
    const write = async (name: string, body: () => Promise<void>) => {
      await body();
      await hooks?.afterFile?.(name);
    };
    await write(FILES.model, async () => {
      const tensors = new Map<string, tf.Tensor>();
      const writable = new Map<string, WritableTensor>();
      for (const [name, t] of [...c.params, ...(c.extraTensors ?? new Map<string, tf.Tensor>())]) {
        if (t instanceof tf.Tensor) tensors.set(name, t);
        else writable.set(name, t);
      }
      for (const [name, t] of await tensorsToWritable(tensors)) writable.set(name, t);
      const ordered = new Map([...c.params.keys(), ...(c.extraTensors?.keys() ?? [])].map((name) => [name, writable.get(name)!]));
      const chunks = serializeSafetensors(ordered, { format: 'pt' });
      const fh = await fs.open(path.join(tmp, FILES.model), 'w');
      try {
        for (const chunk of chunks) {
          let written = 0;
          while (written < chunk.byteLength) written += (await fh.write(chunk, written, chunk.byteLength - written)).bytesWritten;
        }
      } finally {
        await fh.close();
      }
    });
    await write(FILES.config, () =>
      fs.writeFile(path.join(tmp, FILES.config), JSON.stringify(toHfConfig(c.config, c.tokenizer, c.architecture ?? 'lm'), null, 2)),
    );
    if ((c.architecture ?? 'lm') === 'lm') {
      await write(FILES.generation, () => fs.writeFile(path.join(tmp, FILES.generation), JSON.stringify(toHfGenerationConfig(c.tokenizer), null, 2)));
    }
    await write('tokenizer', () => writeTokenizerFiles(tmp, c.tokenizer, { modelMaxLength: c.config.nPositions }));
    if (c.optimizerState) {
      const state = c.optimizerState;
      await write(FILES.optimizer, () => writeSafetensors(path.join(tmp, FILES.optimizer), state, { format: 'hone-optimizer' }));
    }
    const hone: HoneMeta = { ...c.hone, parent: c.hone.parent ?? null, createdAt: c.hone.createdAt ?? new Date().toISOString() };
    await write(FILES.hone, () => fs.writeFile(path.join(tmp, FILES.hone), JSON.stringify(hone, null, 2)));
    await swapInto(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Renames the finished temporary folder to `target`, replacing an existing checkpoint there. */
async function swapInto(tmp: string, target: string): Promise<void> {
  try {
    await fs.rename(tmp, target);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EISDIR' && code !== 'ENOTDIR') throw e;
  }
  const old = `${target}.old-${randomBytes(6).toString('hex')}`;
  await fs.rename(target, old);
  try {
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rename(old, target); // put the previous checkpoint back
    throw e;
  }
  await fs.rm(old, { recursive: true, force: true });
}
