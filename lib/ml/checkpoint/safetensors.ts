// The safetensors format (https://github.com/huggingface/safetensors, "Format" in its README):
//
//   [8 bytes]  N, the header length, unsigned 64-bit little-endian
//   [N bytes]  JSON header, UTF-8: { "<name>": { "dtype": "F32", "shape": [2, 3],
//              "data_offsets": [begin, end] }, …, "__metadata__": { "<key>": "<string>" } }
//              padded with spaces so the data starts on an 8-byte boundary
//   [rest]     the byte buffer; offsets are relative to its start, little-endian, row-major
//
// Reading decodes F32, F16 and BF16 (and F64) to Float32Array, and the integer and bool dtypes
// (I64, I32, I16, I8, U8, BOOL — e.g. the `attn.bias` causal-mask buffers in older GPT-2 files)
// to Int32Array; I64 values outside the int32 range are an error. Writing stores float32 tensors
// as F32 and int32 tensors as I32. Every malformed input throws an Error naming the tensor.
import { promises as fs } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/** A decoded tensor: floats as Float32Array, integers and bools as Int32Array. */
export type RawTensor = { dtype: SafetensorsDtype; shape: number[]; data: Float32Array | Int32Array };

export type HeaderEntry = { dtype: string; shape: number[]; data_offsets: [number, number] };

/** The parsed header: entries by tensor name, and the string metadata. */
export type SafetensorsHeader = { tensors: Map<string, HeaderEntry>; metadata: Record<string, string>; dataStart: number };

const MAX_HEADER = 100 * 1024 * 1024; // the reference implementation's limit

/**
 * Parses and validates the header of a safetensors buffer (does not touch tensor data).
 * `fileLength`: the whole file's length when `buf` holds only its first bytes (the header).
 */
export function parseHeader(buf: Uint8Array, source = 'safetensors', fileLength = buf.byteLength): SafetensorsHeader {
  if (buf.byteLength < 8) throw new Error(`${source}: truncated file (${buf.byteLength} bytes, the header length alone takes 8)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER)) throw new Error(`${source}: header length ${n} is larger than ${MAX_HEADER} bytes`);
  const headerLen = Number(n);
  if (8 + headerLen > buf.byteLength) {
    throw new Error(`${source}: truncated file: the header claims ${headerLen} bytes but only ${fileLength - 8} follow`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(8, 8 + headerLen)));
  } catch (e) {
    throw new Error(`${source}: the header is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${source}: the header must be a JSON object`);
  const dataStart = 8 + headerLen;
  const dataLength = fileLength - dataStart;
  const tensors = new Map<string, HeaderEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${source}: __metadata__ must be an object of strings`);
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') throw new Error(`${source}: __metadata__.${k} must be a string, got ${typeof v}`);
      }
      metadata = value as Record<string, string>;
      continue;
    }
    const e = value as Partial<HeaderEntry>;
    const where = `${source}: tensor "${name}"`;
    if (typeof e !== 'object' || e === null) throw new Error(`${where}: header entry must be an object`);
    if (typeof e.dtype !== 'string') throw new Error(`${where}: missing dtype`);
    if (!(e.dtype in DTYPE_BYTES)) throw new Error(`${where}: unsupported dtype ${e.dtype} (supported: ${Object.keys(DTYPE_BYTES).join(', ')})`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error(`${where}: shape must be a list of non-negative integers, got ${JSON.stringify(e.shape)}`);
    }
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o) && o >= 0) || off[1] < off[0]) {
      throw new Error(`${where}: data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(off)}`);
    }
    if (off[1] > dataLength) {
      throw new Error(`${where}: data_offsets [${off[0]}, ${off[1]}] run past the end of the data (${dataLength} bytes; truncated file?)`);
    }
    const expected = e.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[e.dtype as SafetensorsDtype];
    if (off[1] - off[0] !== expected) {
      throw new Error(`${where}: ${off[1] - off[0]} bytes of data for ${e.dtype} [${e.shape.join(', ')}], expected ${expected}`);
    }
    tensors.set(name, { dtype: e.dtype, shape: e.shape, data_offsets: [off[0], off[1]] });
  }
  return { tensors, metadata, dataStart };
}

/** float16 bits → float32 value. */
function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // zero and subnormals
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

let f16Table: Float32Array | undefined;
function f16Lookup(): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = f16ToF32(h);
  }
  return f16Table;
}

/** Decodes one tensor's bytes (little-endian) to a Float32Array or Int32Array. */
export function decodeTensor(name: string, dtype: string, shape: number[], bytes: Uint8Array): RawTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  // Copy to an aligned buffer first: tensor data in a file is only aligned to its element size by luck.
  const aligned = new Uint8Array(bytes.byteLength);
  aligned.set(bytes);
  const view = new DataView(aligned.buffer);
  const d = dtype as SafetensorsDtype;
  switch (d) {
    case 'F32':
      return { dtype: d, shape, data: new Float32Array(aligned.buffer, 0, n) };
    case 'F64': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
      return { dtype: d, shape, data: out };
    }
    case 'F16': {
      const table = f16Lookup();
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = table[view.getUint16(i * 2, true)];
      return { dtype: d, shape, data: out };
    }
    case 'BF16': {
      // bfloat16 is the top half of a float32: shift its bits into place.
      const bits = new Uint32Array(n);
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(i * 2, true) << 16;
      return { dtype: d, shape, data: new Float32Array(bits.buffer) };
    }
    case 'I64': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = view.getBigInt64(i * 8, true);
        if (v > 2147483647n || v < -2147483648n) throw new Error(`tensor "${name}": I64 value ${v} at index ${i} does not fit in int32`);
        out[i] = Number(v);
      }
      return { dtype: d, shape, data: out };
    }
    case 'I32':
      return { dtype: d, shape, data: new Int32Array(aligned.buffer, 0, n) };
    case 'I16': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(i * 2, true);
      return { dtype: d, shape, data: out };
    }
    case 'I8':
      return { dtype: d, shape, data: Int32Array.from(new Int8Array(aligned.buffer, 0, n)) };
    case 'U8':
    case 'BOOL':
      return { dtype: d, shape, data: Int32Array.from(aligned.subarray(0, n)) };
    default:
      throw new Error(`tensor "${name}": unsupported dtype ${dtype}`);
  }
}

export type ParsedSafetensors = { tensors: Map<string, RawTensor>; metadata: Record<string, string> };

/**
 * Parses a whole safetensors buffer. `include(name)` returning false skips a tensor without
 * decoding it (e.g. the `attn.bias` mask buffers of old GPT-2 files).
 */
export function parseSafetensors(buf: Uint8Array, opts?: { source?: string; include?: (name: string) => boolean }): ParsedSafetensors {
  const source = opts?.source ?? 'safetensors';
  const header = parseHeader(buf, source);
  const tensors = new Map<string, RawTensor>();
  for (const [name, e] of header.tensors) {
    if (opts?.include && !opts.include(name)) continue;
    const bytes = buf.subarray(header.dataStart + e.data_offsets[0], header.dataStart + e.data_offsets[1]);
    try {
      tensors.set(name, decodeTensor(name, e.dtype, e.shape, bytes));
    } catch (err) {
      throw new Error(`${source}: ${(err as Error).message}`);
    }
  }
  return { tensors, metadata: header.metadata };
}

/** What writing takes: float data is written as F32, int32 data as I32. */
export type WritableTensor = { shape: number[]; data: Float32Array | Int32Array };

/**
 * Serialises tensors to safetensors bytes, as a list of chunks (header, then each tensor's
 * data) so a large model is not copied into one more buffer before it reaches the disk.
 * Tensors are laid out in name order; the header is space-padded to a multiple of 8.
 */
export function serializeSafetensors(tensors: Map<string, WritableTensor>, metadata?: Record<string, string>): Uint8Array[] {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new Error(`safetensors metadata "${k}" must be a string, got ${typeof v}`);
    }
    header.__metadata__ = metadata;
  }
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`tensor "${name}": invalid shape [${t.shape.join(', ')}]`);
    if (t.data.length !== n) throw new Error(`tensor "${name}": ${t.data.length} values for shape [${t.shape.join(', ')}] (${n} expected)`);
    let dtype: SafetensorsDtype;
    if (t.data instanceof Float32Array) dtype = 'F32';
    else if (t.data instanceof Int32Array) dtype = 'I32';
    else throw new Error(`tensor "${name}": only Float32Array (F32) and Int32Array (I32) data can be written`);
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil((8 + json.byteLength) / 8) * 8 - 8;
  if (padded !== json.byteLength) {
    const p = new Uint8Array(padded).fill(0x20); // spaces, as the reference writer pads
    p.set(json);
    json = p;
  }
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  return [len, json, ...chunks];
}

/** Concatenates serializeSafetensors' chunks into one buffer. */
export function safetensorsBytes(tensors: Map<string, WritableTensor>, metadata?: Record<string, string>): Uint8Array {
  const chunks = serializeSafetensors(tensors, metadata);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Files and tf.Tensors
// ---------------------------------------------------------------------------------------------

/** Reads a safetensors file into raw arrays (see parseSafetensors for `include`). */
export async function readSafetensorsRaw(file: string, opts?: { include?: (name: string) => boolean }): Promise<ParsedSafetensors> {
  const buf = await fs.readFile(file);
  return parseSafetensors(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), { source: file, include: opts?.include });
}

/** Reads a safetensors file into tf.Tensors (float32 or int32); the caller owns (disposes) them. */
export async function readSafetensors(
  file: string,
  opts?: { include?: (name: string) => boolean },
): Promise<{ tensors: Map<string, tf.Tensor>; metadata: Record<string, string> }> {
  const raw = await readSafetensorsRaw(file, opts);
  const tensors = new Map<string, tf.Tensor>();
  for (const [name, t] of raw.tensors) {
    tensors.set(name, tf.tensor(t.data, t.shape, t.data instanceof Float32Array ? 'float32' : 'int32'));
  }
  return { tensors, metadata: raw.metadata };
}

/** Reads tensor data out of tf.Tensors for writing (float32 → F32, int32 and bool → I32). */
export async function tensorsToWritable(tensors: Map<string, tf.Tensor>): Promise<Map<string, WritableTensor>> {
  const out = new Map<string, WritableTensor>();
  for (const [name, t] of tensors) {
    if (t.isDisposed) throw new Error(`tensor "${name}" is disposed`);
    let data: Float32Array | Int32Array;
    if (t.dtype === 'float32') data = (await t.data()) as Float32Array;
    else if (t.dtype === 'int32' || t.dtype === 'bool') data = Int32Array.from((await t.data()) as Int32Array | Uint8Array);
    else throw new Error(`tensor "${name}": dtype ${t.dtype} cannot be written to safetensors (float32 or int32 expected)`);
    out.set(name, { shape: [...t.shape], data });
  }
  return out;
}

/** Writes tf.Tensors to a safetensors file (not atomic by itself: checkpoint.ts writes into a temporary folder). */
export async function writeSafetensors(file: string, tensors: Map<string, tf.Tensor>, metadata?: Record<string, string>): Promise<void> {
  const chunks = serializeSafetensors(await tensorsToWritable(tensors), metadata);
  const fh = await fs.open(file, 'w');
  try {
    for (const c of chunks) {
      let written = 0;
      while (written < c.byteLength) written += (await fh.write(c, written, c.byteLength - written)).bytesWritten;
    }
  } finally {
    await fh.close();
  }
}
