// GPT-2, exactly as OpenAI and Hugging Face define it, in TensorFlow.js. Read top to bottom:
// LayerNorm → gelu_new → attention → MLP → block → GPT.
//
//   pre-LN blocks: x = x + attn(ln_1(x)); x = x + mlp(ln_2(x)); final ln_f
//   gelu_new (tanh approximation), learned position embeddings, lm head tied to wte,
//   LayerNorm eps 1e-5, causal attention scaled by 1/√head_dim, no dropout.
//
// Parameters are tf.Variables keyed by Hugging Face GPT-2 names and stored in HF's layouts
// (Conv1D weights are [in, out]), so safetensors move between here and transformers as is.
// Activations stay 2-D [B*T, C] inside the blocks: products and row-wise ops need no reshapes.
//
// Speed on the WebAssembly backend comes from lib/ml/ops (linear, attention, embedding,
// LayerNorm, gelu_new, and the JS decoding path behind forwardCached), which pick their fast
// forms by backend and by whether a gradient is recording; callers (trainers) just use
// variables() and tf.variableGrads as usual.
import * as tf from '@tensorflow/tfjs-core';
import '../ops/gradients';
import { type GPTConfig, parameterShapes, validateConfig } from './config';
import { embedding } from '../ops/embedding';
import { linear, matMulNT } from '../ops/matmul';
import { createDecodeState, decodeForward, embedRows, type DecodeState } from '../ops/decode';
import { MASKED, attendPlain, causalAttention, splitHeads } from '../ops/attention';
import { recordingGradients, useFastKernels, useNativeKernels } from '../ops/mode';
import { geluNew, layerNorm } from '../ops/pointwise';

export type ForwardOptions = {
  /** [B, T] 1 for real tokens, 0 for padding (left padding works). */
  attentionMask?: tf.Tensor2D;
  /** [B, T] int32. Default: arange(T), or cumsum(mask) − 1 when a mask is given (as HF does). */
  positionIds?: tf.Tensor2D;
};

export type CachedForwardOptions = {
  /**
   * [B][T] 1 for real tokens, 0 for padding, on the host: the cache keeps the mask of every token
   * it holds in JS, and a GPU tensor could only be read asynchronously. May also cover the cached
   * tokens: [B][past + T].
   */
  mask?: number[][];
  /** [B, T] int32. Default: the next positions of each row's real tokens. */
  positionIds?: tf.Tensor2D;
};

// ---- LayerNorm and gelu_new -------------------------------------------------------------
// In lib/ml/ops/pointwise.ts: layerNorm(x, γ, β, eps) over the last axis, and
// geluNew(x) = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).

// ---- KV cache ----------------------------------------------------------------------------

/** Keys and values of the tokens seen so far, per layer, for incremental decoding. */
export class KVCache {
  /** Tokens cached so far (including left padding). */
  length = 0;
  /** Per layer [B, H, length, D]. */
  keys: (tf.Tensor4D | null)[];
  values: (tf.Tensor4D | null)[];
  /** Per row, 1 real / 0 pad for each cached token (kept in JS: decoding builds masks from it). */
  mask: number[][];
  /** The WebAssembly decoding path's state (keys/values in JS arrays), when that path is used. */
  decode: DecodeState | null = null;

  constructor(
    readonly batch: number,
    readonly nLayer: number,
  ) {
    this.keys = new Array(nLayer).fill(null);
    this.values = new Array(nLayer).fill(null);
    this.mask = Array.from({ length: batch }, () => []);
  }

  dispose(): void {
    for (const t of [...this.keys, ...this.values, this.decode?.wteT]) t?.dispose();
    this.decode = null;
    this.keys.fill(null);
    this.values.fill(null);
    this.mask = Array.from({ length: this.batch }, () => []);
    this.length = 0;
  }
}

// ---- GPT ---------------------------------------------------------------------------------

const TIED_OR_BUFFER = /^(lm_head\.weight|h\.\d+\.attn\.(masked_)?bias)$/; // in HF files, not parameters

export class GPT {
  readonly config: GPTConfig;
  readonly params: Map<string, tf.Variable>;

  constructor(config: GPTConfig, opts: { seed?: number; weights?: Map<string, tf.Tensor> } = {}) {
    validateConfig(config);
    this.config = { ...config };
    this.params = new Map();
    const shapes = parameterShapes(config);
    if (opts.weights) {
      const expected = new Set(shapes.map(([n]) => n));
      for (const name of opts.weights.keys()) {
        if (!expected.has(name) && !TIED_OR_BUFFER.test(name)) throw new Error(`unexpected tensor "${name}" for this GPT-2 config`);
      }
      for (const [name, shape] of shapes) {
        const w = opts.weights.get(name);
        if (!w) throw new Error(`missing tensor "${name}" (expected shape [${shape}])`);
        if (!tf.util.arraysEqual(w.shape, shape)) throw new Error(`tensor "${name}" has shape [${w.shape}], expected [${shape}]`);
        this.params.set(name, tf.tidy(() => tf.variable(w.dtype === 'float32' ? tf.clone(w) : tf.cast(w, 'float32'))));
      }
      return;
    }
    // GPT-2 init: N(0, 0.02) everywhere, residual projections N(0, 0.02/√(2·nLayer)) so the
    // residual stream's variance does not grow with depth; LayerNorm 1/0, biases 0.
    const seed = opts.seed ?? 0;
    const residualStd = 0.02 / Math.sqrt(2 * config.nLayer);
    shapes.forEach(([name, shape], i) => {
      const init = tf.tidy(() => {
        if (/ln_\d\.weight$|ln_f\.weight$/.test(name)) return tf.ones(shape);
        if (name.endsWith('.bias')) return tf.zeros(shape);
        const std = /c_proj\.weight$/.test(name) ? residualStd : 0.02;
        // tf.js treats a falsy seed as "unseeded" (Math.random), so never pass 0.
        return tf.randomNormal(shape, 0, std, 'float32', seed * 10007 + i + 1);
      });
      this.params.set(name, tf.variable(init));
      init.dispose();
    });
  }

  variables(): tf.Variable[] {
    return [...this.params.values()];
  }

  private p<R extends tf.Rank>(name: string): tf.Tensor<R> {
    return this.params.get(name) as unknown as tf.Tensor<R>;
  }

  private mlp(i: number, x: tf.Tensor2D): tf.Tensor2D {
    const h = geluNew(linear(x, this.p(`h.${i}.mlp.c_fc.weight`), this.p(`h.${i}.mlp.c_fc.bias`))); // [N, 4C]
    return linear(h, this.p(`h.${i}.mlp.c_proj.weight`), this.p(`h.${i}.mlp.c_proj.bias`)); // [N, C]
  }

  private ln(name: string, x: tf.Tensor2D): tf.Tensor2D {
    return layerNorm(x, this.p(`${name}.weight`), this.p(`${name}.bias`), this.config.layerNormEpsilon);
  }

  /** Token + position embeddings, [B*T, C]. */
  private embed(ids: tf.Tensor2D, positionIds: tf.Tensor2D): tf.Tensor2D {
    const [B, T] = ids.shape;
    const tok = embedding(this.p('wte.weight'), tf.reshape(tf.cast(ids, 'int32'), [B * T])); // [B*T, C]
    const pos = embedding(this.p('wpe.weight'), tf.reshape(tf.cast(positionIds, 'int32'), [B * T])); // [B*T, C]
    return tf.add(tok, pos);
  }

  private checkLength(T: number, past = 0): void {
    if (past + T > this.config.nPositions) {
      throw new Error(`sequence of ${past + T} tokens exceeds the model's context of ${this.config.nPositions} (nPositions)`);
    }
  }

  /** Final hidden states after ln_f: ids int32 [B, T] → [B, T, C]. */
  hidden(ids: tf.Tensor2D, opts: ForwardOptions = {}): tf.Tensor3D {
    const [B, T] = ids.shape;
    this.checkLength(T);
    const { nLayer, nHead, nEmbd: C } = this.config;
    return tf.tidy(() => {
      const mask = opts.attentionMask ? (tf.cast(opts.attentionMask, 'float32') as tf.Tensor2D) : undefined;
      const pos = opts.positionIds ?? defaultPositions(B, T, mask);
      let x = this.embed(ids, pos); // [B*T, C]
      for (let i = 0; i < nLayer; i++) {
        const qkv = linear(this.ln(`h.${i}.ln_1`, x), this.p(`h.${i}.attn.c_attn.weight`), this.p(`h.${i}.attn.c_attn.bias`)); // [B*T, 3C]
        const y = causalAttention(qkv, B, T, nHead, mask); // [B*T, C]
        x = tf.add(x, linear(y, this.p(`h.${i}.attn.c_proj.weight`), this.p(`h.${i}.attn.c_proj.bias`))); // [B*T, C]
        x = tf.add(x, this.mlp(i, this.ln(`h.${i}.ln_2`, x))); // [B*T, C]
      }
      return tf.reshape(this.ln('ln_f', x), [B, T, C]) as tf.Tensor3D; // [B, T, C]
    });
  }

  /** Tied lm head: [B, T, C] · wteᵀ → [B, T, V]. */
  lmHead(h: tf.Tensor3D): tf.Tensor3D {
    const [B, T, C] = h.shape;
    return tf.tidy(() => tf.reshape(matMulNT(tf.reshape(h, [B * T, C]), this.p('wte.weight')), [B, T, this.config.vocabSize]) as tf.Tensor3D);
  }

  /** Logits [B, T, V]. */
  forward(ids: tf.Tensor2D, opts: ForwardOptions = {}): tf.Tensor3D {
    return tf.tidy(() => this.lmHead(this.hidden(ids, opts)));
  }

  createCache(batch: number): KVCache {
    return new KVCache(batch, this.config.nLayer);
  }

  /**
   * Whether forwardCached decodes in JS with only the weight products on the backend
   * (lib/ml/ops/decode.ts): on WebAssembly and native TensorFlow, when no gradient records.
   * sample() then calls decodeRows directly and skips tensors altogether.
   */
  decodesInJs(): boolean {
    return (useFastKernels() || useNativeKernels()) && !recordingGradients();
  }

  /**
   * Incremental forward for sampling: runs ids [B, Tnew] after the cached tokens, appends their
   * keys/values to the cache and returns logits [B, Tnew, V]. Not meant for training.
   */
  forwardCached(ids: tf.Tensor2D, cache: KVCache, opts: CachedForwardOptions = {}): tf.Tensor3D {
    const [B, T] = ids.shape;
    if (B !== cache.batch) throw new Error(`forwardCached: batch ${B} does not match the cache's batch ${cache.batch}`);
    const past = cache.length;
    this.checkLength(T, past);
    const V = this.config.vocabSize;
    let newMask: number[][];
    if (opts.mask) {
      const given = opts.mask;
      if (given.length !== B) throw new Error(`forwardCached: mask has ${given.length} rows, expected ${B}`);
      const w = given[0]?.length ?? 0;
      if (w === past + T) newMask = given.map((row) => row.slice(past));
      else if (w === T) newMask = given;
      else throw new Error(`forwardCached: mask width ${w} is neither ${T} nor ${past + T}`);
    } else {
      newMask = Array.from({ length: B }, () => new Array<number>(T).fill(1));
    }
    const inJs = this.decodesInJs();
    if ((inJs && cache.keys[0]) || (!inJs && cache.decode)) throw new Error('forwardCached: this cache was filled with the other kernel mode or backend');
    // Native prefill: the prompt as one batched forward (a JS loop over B·H·T² attention scores
    // would cost more than the whole prompt takes in TensorFlow); its keys and values then move
    // into the JS decoding state for the tokens that follow.
    const prefill = inJs && useNativeKernels() && past === 0 && T > 1;
    if (inJs && !prefill) {
      // wasm / native TensorFlow only (decodesInJs): their tensors live in host memory.
      // eslint-disable-next-line hone/no-sync-read -- CPU backends only, never WebGPU
      const positions = opts.positionIds ? Int32Array.from(opts.positionIds.dataSync()) : undefined;
      // eslint-disable-next-line hone/no-sync-read -- CPU backends only, never WebGPU
      return tf.tensor3d(this.decodeRows(ids.dataSync() as Int32Array, newMask, cache, positions), [B, T, V]);
    }
    const { full, positions } = extendMask(cache, newMask);
    const pos = opts.positionIds ?? tf.tensor2d(positions, [B, T], 'int32');
    const logits = this.forwardCachedTensors(ids, cache, full, pos);
    if (pos !== opts.positionIds) pos.dispose();
    if (prefill) {
      cache.decode = createDecodeState(this.params, this.config, B);
      moveKeysToDecodeState(cache, this.config.nPositions);
    }
    return logits;
  }

  /**
   * The JS decoding path without tensors: token ids [B·T] (row-major) after the cached ones, their
   * mask [B][T] (1 real, 0 pad) → logits [B·T·V]. Needs decodesInJs(). `positionIds` [B·T]
   * overrides the positions counted from the mask.
   */
  decodeRows(ids: ArrayLike<number>, newMask: number[][], cache: KVCache, positionIds?: Int32Array): Float32Array {
    const B = cache.batch;
    const T = newMask[0]?.length ?? 0;
    if (ids.length !== B * T) throw new Error(`decodeRows: ${ids.length} ids for ${B} rows of ${T}`);
    if (cache.keys[0]) throw new Error('decodeRows: this cache was filled by the tensor path');
    this.checkLength(T, cache.length);
    const past = cache.length;
    const { full, positions } = extendMask(cache, newMask);
    cache.decode ??= createDecodeState(this.params, this.config, B);
    const x = embedRows(this.params, this.config, cache.decode, ids, positionIds ?? positions); // [B*T, C]
    const logits = decodeForward(this.params, this.config, cache.decode, x, B, T, past, full);
    cache.mask = full;
    cache.length = past + T;
    return logits;
  }

  /** forwardCached as tensor ops: the cache holds [B, H, length, D] key and value tensors. */
  private forwardCachedTensors(ids: tf.Tensor2D, cache: KVCache, full: number[][], pos: tf.Tensor2D): tf.Tensor3D {
    const [B, T] = ids.shape;
    const { nLayer, nHead, vocabSize: V } = this.config;
    const past = cache.length;
    const Tk = past + T;
    const biasData = new Float32Array(B * T * Tk);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < T; i++) {
        for (let j = 0; j < Tk; j++) biasData[(b * T + i) * Tk + j] = j <= past + i && full[b][j] ? 0 : MASKED;
      }
    }
    const out = tf.tidy(() => {
      const bias = tf.tensor4d(biasData, [B, 1, T, Tk]);
      let x = this.embed(ids, pos); // [B*T, C]
      const keys: tf.Tensor4D[] = [];
      const values: tf.Tensor4D[] = [];
      for (let i = 0; i < nLayer; i++) {
        const qkv = linear(this.ln(`h.${i}.ln_1`, x), this.p(`h.${i}.attn.c_attn.weight`), this.p(`h.${i}.attn.c_attn.bias`)); // [B*T, 3C]
        const [q, kNew, vNew] = splitHeads(qkv, B, T, nHead); // [B, H, T, D] each
        const pk = cache.keys[i];
        const pv = cache.values[i];
        const k = pk ? (tf.concat([pk, kNew], 2) as tf.Tensor4D) : kNew; // [B, H, past+T, D]
        const v = pv ? (tf.concat([pv, vNew], 2) as tf.Tensor4D) : vNew; // [B, H, past+T, D]
        keys.push(k);
        values.push(v);
        const y = attendPlain(q, k, v, bias); // [B*T, C]
        x = tf.add(x, linear(y, this.p(`h.${i}.attn.c_proj.weight`), this.p(`h.${i}.attn.c_proj.bias`)));
        x = tf.add(x, this.mlp(i, this.ln(`h.${i}.ln_2`, x))); // [B*T, C]
      }
      const h = this.ln('ln_f', x); // [B*T, C]
      const logits = matMulNT(h, this.p('wte.weight'));
      return { logits: tf.reshape(logits, [B, T, V]) as tf.Tensor3D, keys, values };
    });
    // The cache outlives any tidy() the caller runs this in.
    for (let i = 0; i < nLayer; i++) {
      tf.keep(out.keys[i]);
      tf.keep(out.values[i]);
      cache.keys[i]?.dispose();
      cache.values[i]?.dispose();
      cache.keys[i] = out.keys[i];
      cache.values[i] = out.values[i];
    }
    cache.mask = full;
    cache.length = Tk;
    return out.logits;
  }

  /** A new model with copies of these weights. */
  clone(): GPT {
    return new GPT(this.config, { weights: this.params as Map<string, tf.Tensor> });
  }

  /** Copies other's weights into this model's variables (same config). */
  copyFrom(other: GPT): void {
    for (const [name, v] of this.params) {
      const o = other.params.get(name);
      if (!o) throw new Error(`copyFrom: the other model has no tensor "${name}"`);
      if (!tf.util.arraysEqual(o.shape, v.shape)) throw new Error(`copyFrom: "${name}" is [${o.shape}] there, [${v.shape}] here`);
      v.assign(o);
    }
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }
}

/**
 * The cache's mask extended by the new tokens' mask, and the new tokens' positions: cumsum(mask)
 * − 1 over the whole row, clamped at 0, as hidden() numbers them.
 */
function extendMask(cache: KVCache, newMask: number[][]): { full: number[][]; positions: Int32Array } {
  const B = cache.batch;
  const T = newMask[0]?.length ?? 0;
  const past = cache.length;
  const full = cache.mask.map((m, b) => [...m, ...newMask[b]]);
  const positions = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    let seen = 0;
    for (let j = 0; j < past + T; j++) {
      if (full[b][j]) seen++;
      if (j >= past) positions[b * T + j - past] = Math.max(seen - 1, 0);
    }
  }
  return { full, positions };
}

/** Copies a tensor cache's keys and values ([B, H, length, D] per layer) into its JS decoding state ([B, H, P, D]) and frees the tensors. */
function moveKeysToDecodeState(cache: KVCache, P: number): void {
  const state = cache.decode!;
  for (let i = 0; i < cache.nLayer; i++) {
    for (const [from, to] of [
      [cache.keys[i]!, state.keys[i]],
      [cache.values[i]!, state.values[i]],
    ] as const) {
      const [B, H, L, D] = from.shape;
      // eslint-disable-next-line hone/no-sync-read -- native TensorFlow prefill only (host memory)
      const src = from.dataSync() as Float32Array;
      for (let bh = 0; bh < B * H; bh++) to.set(src.subarray(bh * L * D, (bh + 1) * L * D), bh * P * D);
      from.dispose();
    }
    cache.keys[i] = null;
    cache.values[i] = null;
  }
}

/** Position ids [B, T]: arange, or cumsum(mask) − 1 clamped at 0 so left padding starts real tokens at 0. */
export function defaultPositions(B: number, T: number, mask?: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    if (!mask) return tf.tile(tf.reshape(tf.range(0, T, 1, 'int32'), [1, T]), [B, 1]) as tf.Tensor2D;
    return tf.cast(tf.maximum(tf.sub(tf.cumsum(mask, 1), 1), 0), 'int32') as tf.Tensor2D;
  });
}
