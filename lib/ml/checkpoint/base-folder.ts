// A Hugging Face GPT-2-family folder becomes a Hone base checkpoint.
//
// inspectBaseFolder reads only config.json, the tokenizer files and model.safetensors' header:
// every refusal (a pickle instead of safetensors, a missing file, another architecture, a
// tensor of the wrong name, shape or dtype, a tokenizer that is not GPT-2's or does not match
// vocab_size) happens there, before a byte of weights is read or written.
//
// importBaseFolder then writes the checkpoint (format.ts's atomic folder write): the weights as
// float32 (F16/BF16 decoded), HF names without the `transformer.` prefix, the tied lm_head and
// GPT-2's attention-mask buffers dropped, and hone.json { stage: "base" }. Hone's chat template
// needs four special tokens GPT-2 does not have (<|system|> <|user|> <|assistant|> <|end|>, ids
// 50257–50260), so wte grows from 50257 to 50264 rows (the markers plus 3 rows that pad the
// vocabulary to a multiple of 8), each new row the mean of GPT-2's rows, as transformers'
// resize_token_embeddings initialises them; SFT then learns what the markers mean. The tokenizer
// files written beside it carry the chat template for transformers' apply_chat_template.
//
// The weights never enter TensorFlow here: registration needs no backend and no accelerator.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { GPTConfig } from '../model/config';
import { shapeOfConfig } from '../model/config';
import { shapeKey } from '../../shared/model-shape';
import { readHfTokenizer } from '../tokenizer/hf-tokenizer';
import type { Tokenizer } from '../tokenizer';
import { checkTensorInventory, FILES, fromHfConfig, growRows, isSkippedTensor, writeCheckpointFolder, type HoneMeta } from './format';
import { parseHeader, readSafetensorsRaw, type WritableTensor } from './safetensors';

/** A folder that cannot become a base; the message says which file and what to do. */
export class BaseFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaseFolderError';
  }
}

export type BaseInspection = {
  /** The model as config.json describes it (vocabSize as stored, before the chat rows). */
  config: GPTConfig;
  tokenizer: Tokenizer;
  tokenizerFiles: string[];
  /** model.safetensors: its size in bytes and the dtypes of its tensors. */
  weightsBytes: number;
  dtypes: string[];
};

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** Why a folder has no usable weights file: a pickle, shards, another framework, or nothing. */
async function missingWeights(dir: string): Promise<string> {
  const has = async (f: string) => exists(path.join(dir, f));
  if (await has('model.safetensors.index.json')) {
    return 'The weights are split into shards (model.safetensors.index.json); Hone reads one model.safetensors. Save the model again with save_pretrained(out, max_shard_size="100GB").';
  }
  if ((await has('pytorch_model.bin')) || (await has('pytorch_model.bin.index.json'))) {
    return (
      'The weights are a pytorch_model.bin, a Python pickle, which Hone never loads (unpickling can run code). Convert it to ' +
      'model.safetensors first, on a machine with transformers: AutoModelForCausalLM.from_pretrained("DIR").save_pretrained("OUT", safe_serialization=True).'
    );
  }
  if ((await has('tf_model.h5')) || (await has('flax_model.msgpack'))) {
    return 'The weights are TensorFlow (tf_model.h5) or Flax weights; Hone reads model.safetensors. Convert them with transformers (from_pretrained(..., from_tf=True).save_pretrained(out)).';
  }
  return 'model.safetensors is missing: a Hugging Face model folder has config.json, model.safetensors and tokenizer files (vocab.json + merges.txt, or tokenizer.json).';
}

/** The header of a safetensors file, read without its tensor data. */
async function readHeaderOnly(file: string): Promise<{ header: ReturnType<typeof parseHeader>; size: number }> {
  const fh = await fs.open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size < 8) throw new Error(`${FILES.model}: truncated file (${size} bytes)`);
    const lenBuf = Buffer.alloc(8);
    await fh.read(lenBuf, 0, 8, 0);
    const n = size >= 8 ? Number(lenBuf.readBigUInt64LE(0)) : 0;
    const buf = Buffer.alloc(8 + Math.min(n, 100 * 1024 * 1024, Math.max(0, size - 8)));
    await fh.read(buf, 0, buf.length, 0);
    return { header: parseHeader(new Uint8Array(buf.buffer, buf.byteOffset, buf.length), FILES.model, size), size };
  } finally {
    await fh.close();
  }
}

/** Checks a Hugging Face GPT-2-family folder without reading its weights (see the header comment). */
export async function inspectBaseFolder(dir: string): Promise<BaseInspection> {
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat) throw new BaseFolderError(`The folder ${dir} does not exist.`);
  if (!stat.isDirectory()) throw new BaseFolderError(`${dir} is not a folder.`);

  let cfg: unknown;
  try {
    cfg = JSON.parse(await fs.readFile(path.join(dir, FILES.config), 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BaseFolderError(code === 'ENOENT' ? 'config.json is missing: it says which model the weights are (GPT2Config).' : `config.json is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg)) throw new BaseFolderError('config.json must be a JSON object.');
  const c = cfg as Record<string, unknown>;
  if (c.model_type !== 'gpt2') {
    throw new BaseFolderError(
      `config.json: model_type ${JSON.stringify(c.model_type ?? null)} is not supported. Hone trains GPT-2-family models ` +
        '(model_type "gpt2": gpt2, distilgpt2, gpt2-medium, gpt2-large, or your own GPT2LMHeadModel).',
    );
  }
  if (!(await exists(path.join(dir, FILES.model)))) throw new BaseFolderError(await missingWeights(dir));

  let tok;
  try {
    tok = await readHfTokenizer(dir);
  } catch (e) {
    throw new BaseFolderError((e as Error).message);
  }
  let config: GPTConfig;
  try {
    const parsed = fromHfConfig(c, tok.tokenizer.kind);
    if (parsed.architecture !== 'lm') {
      throw new Error('config.json: this is a reward model (GPT2ForSequenceClassification); a base must be a language model (GPT2LMHeadModel)');
    }
    config = parsed.config;
  } catch (e) {
    throw new BaseFolderError((e as Error).message);
  }
  if (config.vocabSize !== tok.definedTokens && config.vocabSize !== tok.tokenizer.vocabSize) {
    throw new BaseFolderError(
      `config.json: vocab_size is ${config.vocabSize}, but the tokenizer (${tok.files.join(' + ')}) defines ${tok.definedTokens} tokens: ` +
        'the embedding must have one row per token',
    );
  }

  let header;
  let size: number;
  try {
    ({ header, size } = await readHeaderOnly(path.join(dir, FILES.model)));
    const entries = [...header.tensors].filter(([name]) => !isSkippedTensor(name));
    checkTensorInventory(entries, config, 'lm', FILES.model);
  } catch (e) {
    throw new BaseFolderError((e as Error).message);
  }
  const dtypes = [...new Set([...header.tensors].filter(([n]) => !isSkippedTensor(n)).map(([, e]) => e.dtype))].sort();
  return { config, tokenizer: tok.tokenizer, tokenizerFiles: tok.files, weightsBytes: size, dtypes };
}

/** sha256 of a file, streamed (a 500 MB model is never held twice). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export type ImportedBase = {
  /** The stored model: vocabSize grown to the tokenizer's (chat markers included). */
  config: GPTConfig;
  shapeKey: string;
  tokenizer: Tokenizer['kind'];
  /** sha256 of the source model.safetensors, and its size in bytes. */
  sha256: string;
  sizeBytes: number;
  dtypes: string[];
  /** wte rows before and after adding the chat markers; null when it already had them. */
  resized: { from: number; to: number } | null;
};

/**
 * Validates `src` (inspectBaseFolder) and writes it as a base checkpoint at `dest`, atomically:
 * on any error `dest` does not exist afterwards. `hone` adds to hone.json (source, name, …).
 */
export async function importBaseFolder(src: string, dest: string, meta: { source: string; name: string }): Promise<ImportedBase> {
  const found = await inspectBaseFolder(src);
  const weightsFile = path.join(src, FILES.model);
  const sha256 = await sha256File(weightsFile);
  const raw = await readSafetensorsRaw(weightsFile, { include: (name) => !isSkippedTensor(name) });
  const names = checkTensorInventory(raw.tensors, found.config, 'lm', FILES.model);

  const vocabSize = found.tokenizer.vocabSize;
  const grow = vocabSize !== found.config.vocabSize;
  const config: GPTConfig = { ...found.config, vocabSize };
  const params = new Map<string, WritableTensor>();
  for (const [name, stored] of names) {
    const t = raw.tensors.get(stored)!;
    if (!(t.data instanceof Float32Array)) throw new BaseFolderError(`${FILES.model}: tensor "${name}" is not a float tensor`);
    if (name === 'wte.weight' && grow) {
      // wte [V, C] → [V', C]: rows for the chat markers and padding (see the header comment).
      params.set(name, { shape: [vocabSize, config.nEmbd], data: growRows(t.data, found.config.vocabSize, config.nEmbd, vocabSize) });
    } else if (/^(wte|wpe|ln_f)\.|^h\.\d+\./.test(name)) {
      params.set(name, { shape: t.shape, data: t.data });
    }
  }
  const hone: HoneMeta & { source: string; name: string; sha256: string } = {
    stage: 'base',
    preset: shapeKey(shapeOfConfig(config)),
    parent: null,
    datasetHash: null,
    step: 0,
    metrics: {},
    source: meta.source,
    name: meta.name,
    sha256,
  };
  await writeCheckpointFolder(dest, { config, params, tokenizer: found.tokenizer, hone });
  return {
    config,
    shapeKey: hone.preset!,
    tokenizer: found.tokenizer.kind,
    sha256,
    sizeBytes: found.weightsBytes,
    dtypes: found.dtypes,
    resized: grow ? { from: found.config.vocabSize, to: vocabSize } : null,
  };
}
