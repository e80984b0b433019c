// Writes a Hugging Face-style GPT-2-family folder with random weights, the way transformers'
// save_pretrained + GPT2Tokenizer.save_pretrained lay it out: config.json (GPT2Config,
// vocab_size 50257), model.safetensors (F32, names as GPT2LMHeadModel saves them, optionally
// with GPT-2's attn.bias buffers) and the tokenizer as vocab.json + merges.txt or tokenizer.json.
// Tests, bench:base and the end-to-end specs register these: no model hub is reachable here.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parameterShapes, type GPTConfig } from '../model/config';
import { gpt2VocabAndMerges, GPT2_HF_VOCAB_SIZE } from '../tokenizer/gpt2';
import { serializeSafetensors, type WritableTensor } from './safetensors';
import { rng } from '../train/common';

export type HfFolderOptions = {
  nLayer: number;
  nEmbd: number;
  nHead: number;
  nPositions: number;
  /** config.json's vocab_size (GPT-2's 50257 unless a test wants a mismatch). */
  vocabSize?: number;
  /** 'vocab' = vocab.json + merges.txt (GPT2Tokenizer), 'fast' = tokenizer.json, 'none' = no tokenizer files. */
  tokenizer?: 'vocab' | 'fast' | 'none';
  /** Names with GPT2LMHeadModel's `transformer.` prefix (newer transformers) or without (the hub's gpt2). */
  prefix?: boolean;
  /** Also write GPT-2's non-parameter h.N.attn.bias buffers, as the hub's gpt2 file has them. */
  attnBias?: boolean;
  seed?: number;
};

export async function writeHfGpt2Folder(dir: string, o: HfFolderOptions): Promise<void> {
  const vocabSize = o.vocabSize ?? GPT2_HF_VOCAB_SIZE;
  const config: GPTConfig = { vocabSize, nPositions: o.nPositions, nEmbd: o.nEmbd, nLayer: o.nLayer, nHead: o.nHead, layerNormEpsilon: 1e-5, tokenizer: 'gpt2' };
  const rand = rng(o.seed ?? 1); // seeded, so folders are the same on every run
  const tensors = new Map<string, WritableTensor>();
  const pre = o.prefix ? 'transformer.' : '';
  for (const [name, shape] of parameterShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (/ln_\w+\.weight$|ln_f\.weight$/.test(name)) data.fill(1);
    else if (!name.endsWith('.bias')) for (let i = 0; i < n; i++) data[i] = (rand() + rand() + rand() - 1.5) * 0.04; // ≈ N(0, 0.02²)
    tensors.set(pre + name, { shape, data });
    if (o.attnBias && name.endsWith('.attn.c_attn.weight')) {
      const layer = name.split('.')[1];
      const T = o.nPositions;
      const mask = new Float32Array(T * T);
      for (let r = 0; r < T; r++) for (let c = 0; c <= r; c++) mask[r * T + c] = 1;
      tensors.set(`${pre}h.${layer}.attn.bias`, { shape: [1, 1, T, T], data: mask });
    }
  }
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'model.safetensors'), Buffer.concat(serializeSafetensors(tensors, { format: 'pt' })));
  await fs.writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify(
      {
        model_type: 'gpt2',
        architectures: ['GPT2LMHeadModel'],
        vocab_size: vocabSize,
        n_positions: o.nPositions,
        n_ctx: o.nPositions,
        n_embd: o.nEmbd,
        n_layer: o.nLayer,
        n_head: o.nHead,
        n_inner: null,
        activation_function: 'gelu_new',
        layer_norm_epsilon: 1e-5,
        bos_token_id: 50256,
        eos_token_id: 50256,
        torch_dtype: 'float32',
      },
      null,
      2,
    ),
  );
  const tok = o.tokenizer ?? 'vocab';
  if (tok === 'none') return;
  const { vocab, merges } = gpt2VocabAndMerges();
  if (tok === 'vocab') {
    await fs.writeFile(path.join(dir, 'vocab.json'), JSON.stringify(vocab));
    await fs.writeFile(path.join(dir, 'merges.txt'), `#version: 0.2\n${merges.join('\n')}\n`);
    await fs.writeFile(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'GPT2Tokenizer', model_max_length: o.nPositions }));
  } else {
    const added = [{ id: 50256, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }];
    await fs.writeFile(
      path.join(dir, 'tokenizer.json'),
      JSON.stringify({ version: '1.0', added_tokens: added, model: { type: 'BPE', vocab, merges: merges.map((m) => m.split(' ')) } }),
    );
  }
}
