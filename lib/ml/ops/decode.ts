// Incremental decoding for the WebAssembly and native backends: the per-token GPT-2 forward with
// the KV cache in JS arrays, only the weight products on XNNPACK or TensorFlow's MatMul
// (ops/kernel mmWeight).
//
// WHY: a decoding step works on one row per sequence, so as tf ops it is ~280 tiny kernels per
// token whose engine overhead, not arithmetic, sets the speed. Here LayerNorm, gelu_new,
// the residual adds and attention over the cache (a few 10k multiply-adds per head) are plain
// JS loops, and each step makes 4 products per layer plus the lm head. The maths is the same
// as GPT.forward's (tests compare the two); this path is used only when no gradient records.
import * as tf from '@tensorflow/tfjs-core';
import type { GPTConfig } from '../model/config';
import { WasmWeights, gatherRows, mmWeight } from './kernel';
import { transpose2d } from './matmul';

export type DecodeState = {
  /** Per layer [B, H, nPositions, D]. */
  keys: Float32Array[];
  values: Float32Array[];
  /** LayerNorm γ/β and biases, read once per cache. */
  small: Map<string, Float32Array>;
  /** wteᵀ [C, V] for the tied lm head; null on the native backend with a large vocabulary (it multiplies by wteᵀ in place). */
  wteT: tf.Tensor2D | null;
  /** wte [V, C] in JS when it is small (a byte vocabulary); null: rows are gathered per step. */
  wte: Float32Array | null;
  /** wpe [nPositions, C] in JS. */
  wpe: Float32Array;
  /** On the native backend: XNNPACK for the small products (ops/kernel). */
  wasmWeights: WasmWeights | null;
};

/** Token tables up to this size are copied to JS once per cache; larger ones (GPT-2's 154 MB) are gathered per step. */
const JS_TABLE_BYTES = 16 * 1024 * 1024;

export function createDecodeState(params: Map<string, tf.Variable>, config: GPTConfig, B: number): DecodeState {
  const { nLayer, nPositions: P, nEmbd: C } = config;
  const small = new Map<string, Float32Array>();
  // eslint-disable-next-line hone/no-sync-read -- JS decoding state: wasm/native only (decodesInJs)
  for (const [name, v] of params) if (v.rank === 1) small.set(name, v.dataSync() as Float32Array);
  return {
    keys: Array.from({ length: nLayer }, () => new Float32Array(B * P * C)),
    values: Array.from({ length: nLayer }, () => new Float32Array(B * P * C)),
    small,
    // The native backend multiplies by wteᵀ in place (or XNNPACK keeps a transposed copy).
    wteT: tf.getBackend() === 'tensorflow' ? null : tf.keep(tf.tidy(() => transpose2d(params.get('wte.weight') as unknown as tf.Tensor2D))),
    // eslint-disable-next-line hone/no-sync-read -- JS decoding state: wasm/native only (decodesInJs)
    wte: config.vocabSize * C * 4 <= JS_TABLE_BYTES ? (params.get('wte.weight')!.dataSync() as Float32Array) : null,
    // eslint-disable-next-line hone/no-sync-read -- JS decoding state: wasm/native only (decodesInJs)
    wpe: params.get('wpe.weight')!.dataSync() as Float32Array,
    wasmWeights: WasmWeights.create(),
  };
}

/** Token + position embeddings of N tokens → [N, C]; throws on an id outside the vocabulary. */
export function embedRows(params: Map<string, tf.Variable>, config: GPTConfig, state: DecodeState, ids: ArrayLike<number>, pos: Int32Array): Float32Array {
  const { nEmbd: C, vocabSize: V } = config;
  const N = ids.length;
  for (let n = 0; n < N; n++) {
    if (!(ids[n] >= 0 && ids[n] < V)) throw new Error(`token id ${ids[n]} out of range for a vocabulary of ${V}`);
    if (!(pos[n] >= 0 && pos[n] < config.nPositions)) throw new Error(`position ${pos[n]} out of range for a context of ${config.nPositions}`);
  }
  const tok = state.wte ?? gatherRows(params.get('wte.weight') as unknown as tf.Tensor2D, Int32Array.from(ids));
  const x = new Float32Array(N * C);
  for (let n = 0; n < N; n++) {
    const t = state.wte ? ids[n] * C : n * C;
    const p = pos[n] * C;
    for (let c = 0; c < C; c++) x[n * C + c] = tok[t + c] + state.wpe[p + c];
  }
  return x;
}

function layerNormRows(x: Float32Array, N: number, C: number, g: Float32Array, b: Float32Array, eps: number): Float32Array {
  const out = new Float32Array(N * C);
  for (let n = 0; n < N; n++) {
    const o = n * C;
    let mean = 0;
    for (let c = 0; c < C; c++) mean += x[o + c];
    mean /= C;
    let v = 0;
    for (let c = 0; c < C; c++) v += (x[o + c] - mean) ** 2;
    const rstd = 1 / Math.sqrt(v / C + eps);
    for (let c = 0; c < C; c++) out[o + c] = (x[o + c] - mean) * rstd * g[c] + b[c];
  }
  return out;
}

function addBias(y: Float32Array, bias: Float32Array): Float32Array {
  const N = bias.length;
  for (let r = 0; r < y.length; r += N) for (let c = 0; c < N; c++) y[r + c] += bias[c];
  return y;
}

const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * One query head against keys 0..end of the cache: y[out..out+D] = softmax(q·kᵀ·scale)·v.
 * `mask` null: every key is real; else keys with mask 0 get no weight. scale 0 gives the uniform
 * row of a query that sees no real key (the −1e9 additive mask of the tensor path does the same).
 * Its own small function so that V8 optimises these loops, the hot part of a decoding step.
 */
function attendOneHead(
  qkv: Float32Array,
  q: number,
  K: Float32Array,
  V: Float32Array,
  base: number,
  D: number,
  end: number,
  mask: Uint8Array | null,
  scale: number,
  scores: Float32Array,
  y: Float32Array,
  out: number,
): void {
  // The query and the output row in local float64 arrays, the dot products unrolled by 4
  // (every GPT-2 head width is a multiple of 4; measured ~1.5× the plain loops).
  const qh = scratch(D, 0);
  const acc = scratch(D, 1);
  for (let d = 0; d < D; d++) qh[d] = qkv[q + d];
  const D4 = D - (D % 4);
  let max = -Infinity;
  for (let j = 0; j <= end; j++) {
    if (mask !== null && mask[j] === 0) continue;
    let k = (base + j) * D;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let d = 0;
    for (; d < D4; d += 4, k += 4) {
      s0 += qh[d] * K[k];
      s1 += qh[d + 1] * K[k + 1];
      s2 += qh[d + 2] * K[k + 2];
      s3 += qh[d + 3] * K[k + 3];
    }
    for (; d < D; d++, k++) s0 += qh[d] * K[k];
    const s = (s0 + s1 + s2 + s3) * scale;
    scores[j] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let j = 0; j <= end; j++) {
    const e = mask !== null && mask[j] === 0 ? 0 : Math.exp(scores[j] - max);
    scores[j] = e;
    sum += e;
  }
  const inv = 1 / sum;
  acc.fill(0);
  for (let j = 0; j <= end; j++) {
    const p = scores[j] * inv;
    if (p === 0) continue;
    let v = (base + j) * D;
    let d = 0;
    for (; d < D4; d += 4, v += 4) {
      acc[d] += p * V[v];
      acc[d + 1] += p * V[v + 1];
      acc[d + 2] += p * V[v + 2];
      acc[d + 3] += p * V[v + 3];
    }
    for (; d < D; d++, v++) acc[d] += p * V[v];
  }
  for (let d = 0; d < D; d++) y[out + d] += acc[d];
}

const scratchArrays: Float64Array[] = [];
/** A reused float64 array of at least n elements (slot 0: the query, 1: the accumulator). */
function scratch(n: number, slot: number): Float64Array {
  if (!scratchArrays[slot] || scratchArrays[slot].length < n) scratchArrays[slot] = new Float64Array(n);
  return scratchArrays[slot];
}

/**
 * Logits [B*T, V] for T new tokens per row after `past` cached ones; appends their keys and
 * values to the state. x: token + position embeddings [B*T, C]; mask: per row, Tk = past + T
 * entries (1 real, 0 pad).
 */
export function decodeForward(
  params: Map<string, tf.Variable>,
  config: GPTConfig,
  state: DecodeState,
  x: Float32Array,
  B: number,
  T: number,
  past: number,
  mask: number[][],
): Float32Array {
  const { nLayer, nHead: H, nEmbd: C, nPositions: P, layerNormEpsilon: eps } = config;
  const D = C / H;
  const N = B * T;
  const Tk = past + T;
  const scale = 1 / Math.sqrt(D);
  const W = (name: string) => params.get(name) as unknown as tf.Tensor2D;
  const mm = (a: Float32Array, rows: number, name: string) => mmWeight(a, rows, W(name), false, state.wasmWeights);
  const S = (name: string) => state.small.get(name)!;
  const scores = new Float32Array(Tk);
  const masks = mask.map((row) => Uint8Array.from(row, (v) => (v ? 1 : 0)));
  for (let i = 0; i < nLayer; i++) {
    const pre = `h.${i}`;
    // attention
    const qkv = addBias(mm(layerNormRows(x, N, C, S(`${pre}.ln_1.weight`), S(`${pre}.ln_1.bias`), eps), N, `${pre}.attn.c_attn.weight`), S(`${pre}.attn.c_attn.bias`)); // [N, 3C]
    const K = state.keys[i];
    const V = state.values[i];
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const src = (b * T + t) * 3 * C;
        for (let h = 0; h < H; h++) {
          const dst = ((b * H + h) * P + past + t) * D;
          K.set(qkv.subarray(src + C + h * D, src + C + (h + 1) * D), dst);
          V.set(qkv.subarray(src + 2 * C + h * D, src + 2 * C + (h + 1) * D), dst);
        }
      }
    }
    const y = new Float32Array(N * C); // [N, C] heads merged
    for (let b = 0; b < B; b++) {
      const m = masks[b];
      for (let t = 0; t < T; t++) {
        const n = b * T + t;
        const last = past + t; // causal: keys 0..last
        let real = 0;
        for (let j = 0; j <= last; j++) real += m[j];
        const any = real > 0;
        const dense = real === last + 1; // no padding among the keys: no mask test in the loops
        // A query that sees no real key (left padding) gets a uniform row over all keys, as
        // the −1e9 additive mask of the tensor path gives.
        const end = any ? last : Tk - 1;
        for (let h = 0; h < H; h++) {
          attendOneHead(qkv, n * 3 * C + h * D, K, V, (b * H + h) * P, D, end, dense || !any ? null : m, any ? scale : 0, scores, y, n * C + h * D);
        }
      }
    }
    const proj = addBias(mm(y, N, `${pre}.attn.c_proj.weight`), S(`${pre}.attn.c_proj.bias`));
    for (let k = 0; k < x.length; k++) x[k] += proj[k];
    // MLP with gelu_new
    const f = addBias(mm(layerNormRows(x, N, C, S(`${pre}.ln_2.weight`), S(`${pre}.ln_2.bias`), eps), N, `${pre}.mlp.c_fc.weight`), S(`${pre}.mlp.c_fc.bias`)); // [N, 4C]
    for (let k = 0; k < f.length; k++) {
      const v = f[k];
      f[k] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v * v * v)));
    }
    const mo = addBias(mm(f, N, `${pre}.mlp.c_proj.weight`), S(`${pre}.mlp.c_proj.bias`));
    for (let k = 0; k < x.length; k++) x[k] += mo[k];
  }
  const h = layerNormRows(x, N, C, S('ln_f.weight'), S('ln_f.bias'), eps); // [N, C]
  return state.wteT ? mmWeight(h, N, state.wteT) : mmWeight(h, N, W('wte.weight'), true, state.wasmWeights); // [N, V]
}
