import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { parseHeader, parseSafetensors, readSafetensors, safetensorsBytes, writeSafetensors } from './safetensors';

/** Builds a safetensors buffer by hand from a header object and raw data bytes. */
function handMade(header: Record<string, unknown>, data: Uint8Array, pad = true): Uint8Array {
  let json = new TextEncoder().encode(JSON.stringify(header));
  if (pad) {
    const n = Math.ceil((8 + json.length) / 8) * 8 - 8;
    const p = new Uint8Array(n).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function u16le(values: number[]): Uint8Array {
  const b = new Uint8Array(values.length * 2);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setUint16(i * 2, x, true));
  return b;
}

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'hone-st-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('safetensors writing', () => {
  it('lays out the 8-byte length, a space-padded JSON header aligned to 8, and contiguous data', () => {
    const a = new Float32Array([1, 2, 3, 4, 5, 6]);
    const b = new Int32Array([7, -8]);
    const buf = safetensorsBytes(
      new Map<string, { shape: number[]; data: Float32Array | Int32Array }>([
        ['b', { shape: [2], data: b }],
        ['a', { shape: [2, 3], data: a }],
        ['s', { shape: [], data: new Float32Array([0.5]) }],
      ]),
      { format: 'pt' },
    );
    const n = Number(new DataView(buf.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const headerText = new TextDecoder().decode(buf.subarray(8, 8 + n));
    expect(headerText).toMatch(/^\{.*\} *$/);
    const header = JSON.parse(headerText);
    expect(header.__metadata__).toEqual({ format: 'pt' });
    expect(header.a).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
    expect(header.b).toEqual({ dtype: 'I32', shape: [2], data_offsets: [24, 32] });
    expect(header.s).toEqual({ dtype: 'F32', shape: [], data_offsets: [32, 36] });
    expect(buf.length).toBe(8 + n + 36);

    const parsed = parseSafetensors(buf);
    expect(Array.from(parsed.tensors.get('a')!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(parsed.tensors.get('b')!.data).toBeInstanceOf(Int32Array);
    expect(Array.from(parsed.tensors.get('b')!.data)).toEqual([7, -8]);
    expect(parsed.tensors.get('s')!.shape).toEqual([]);
    expect(parsed.metadata).toEqual({ format: 'pt' });
  });

  it('round-trips tf tensors through a file bit for bit', async () => {
    const file = path.join(dir, 'rt.safetensors');
    const w = tf.randomNormal([3, 5], 0, 1, 'float32', 1);
    const special = tf.tensor1d([NaN, Infinity, -0, 1e-45, 3.4e38]);
    const ints = tf.tensor1d([1, 2, 3], 'int32');
    await writeSafetensors(file, new Map([['w', w], ['special', special], ['ints', ints]]), { note: 'x' });
    const { tensors, metadata } = await readSafetensors(file);
    expect(metadata).toEqual({ note: 'x' });
    expect(Array.from(tensors.get('w')!.dataSync())).toEqual(Array.from(w.dataSync()));
    expect(Array.from(tensors.get('special')!.dataSync())).toEqual(Array.from(special.dataSync()));
    expect(Object.is(tensors.get('special')!.dataSync()[2], -0)).toBe(true);
    expect(tensors.get('ints')!.dtype).toBe('int32');
    tf.dispose([w, special, ints, ...tensors.values()]);
  });

  it('refuses data that does not fit the shape, naming the tensor', () => {
    expect(() => safetensorsBytes(new Map([['bad', { shape: [2, 2], data: new Float32Array(3) }]]))).toThrow(/tensor "bad"/);
  });
});

describe('safetensors reading', () => {
  it('decodes F16 (normal, subnormal, zero, inf, nan) and BF16 to float32', () => {
    // F16 bits: 1.0 = 0x3c00, -2.5 = 0xc100, 65504 = 0x7bff, smallest subnormal 2^-24 = 0x0001,
    // -0 = 0x8000, +inf = 0x7c00, NaN = 0x7e00, 0.333251953125 = 0x3555.
    const f16 = [0x3c00, 0xc100, 0x7bff, 0x0001, 0x8000, 0x7c00, 0x7e00, 0x3555];
    // BF16 bits are the upper half of float32: 1.0 = 0x3f80, -2.5 = 0xc020, 3.140625 = 0x4049, 1e-39-ish subnormal = 0x000b.
    const bf16 = [0x3f80, 0xc020, 0x4049, 0x000b];
    const buf = handMade(
      {
        h: { dtype: 'F16', shape: [8], data_offsets: [0, 16] },
        b: { dtype: 'BF16', shape: [2, 2], data_offsets: [16, 24] },
      },
      new Uint8Array([...u16le(f16), ...u16le(bf16)]),
    );
    const { tensors } = parseSafetensors(buf);
    const h = Array.from(tensors.get('h')!.data);
    expect(h.slice(0, 4)).toEqual([1, -2.5, 65504, 2 ** -24]);
    expect(Object.is(h[4], -0)).toBe(true);
    expect(h[5]).toBe(Infinity);
    expect(h[6]).toBeNaN();
    expect(h[7]).toBe(0.333251953125);
    const b = tensors.get('b')!;
    expect(b.shape).toEqual([2, 2]);
    const sub = new Float32Array(new Uint32Array([0x000b0000]).buffer)[0];
    expect(Array.from(b.data)).toEqual([1, -2.5, 3.140625, sub]);
  });

  it('tolerates I64/I32/U8/BOOL buffers and can skip tensors without decoding them', () => {
    const i64 = new Uint8Array(16);
    new DataView(i64.buffer).setBigInt64(0, -3n, true);
    new DataView(i64.buffer).setBigInt64(8, 2147483647n, true);
    const buf = handMade(
      {
        'h.0.attn.bias': { dtype: 'I64', shape: [2], data_offsets: [0, 16] },
        mask: { dtype: 'BOOL', shape: [2], data_offsets: [16, 18] },
        skipped: { dtype: 'F32', shape: [1], data_offsets: [18, 22] },
      },
      new Uint8Array([...i64, 1, 0, 0, 0, 0, 0]),
    );
    const { tensors } = parseSafetensors(buf, { include: (n) => n !== 'skipped' });
    expect(Array.from(tensors.get('h.0.attn.bias')!.data)).toEqual([-3, 2147483647]);
    expect(Array.from(tensors.get('mask')!.data)).toEqual([1, 0]);
    expect(tensors.has('skipped')).toBe(false);
  });

  it('reads files whose data is not 4-byte aligned', () => {
    const data = new Uint8Array(2 + 4);
    data.set(u16le([0x3c00]), 0);
    new DataView(data.buffer).setFloat32(2, 1.5, true);
    const buf = handMade(
      { a: { dtype: 'F16', shape: [1], data_offsets: [0, 2] }, b: { dtype: 'F32', shape: [1], data_offsets: [2, 6] } },
      data,
    );
    expect(Array.from(parseSafetensors(buf).tensors.get('b')!.data)).toEqual([1.5]);
  });

  describe('rejects malformed files with an error naming the problem', () => {
    const ok = { w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
    it('a truncated file', () => {
      expect(() => parseSafetensors(new Uint8Array(5))).toThrow(/truncated/);
      const full = handMade(ok, new Uint8Array(8));
      expect(() => parseSafetensors(full.subarray(0, 12))).toThrow(/truncated/);
      expect(() => parseSafetensors(full.subarray(0, full.length - 4))).toThrow(/tensor "w".*truncated/);
    });
    it('offsets out of range or not matching the shape', () => {
      expect(() => parseSafetensors(handMade({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 16] } }, new Uint8Array(8)))).toThrow(
        /tensor "w": data_offsets \[0, 16\] run past the end/,
      );
      expect(() => parseSafetensors(handMade({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)))).toThrow(
        /tensor "w": 8 bytes of data for F32 \[3\], expected 12/,
      );
      expect(() => parseSafetensors(handMade({ w: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, new Uint8Array(8)))).toThrow(
        /tensor "w": data_offsets/,
      );
    });
    it('an unknown dtype', () => {
      expect(() => parseSafetensors(handMade({ odd: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(8)))).toThrow(
        /tensor "odd": unsupported dtype F8_E4M3/,
      );
    });
    it('an I64 value that does not fit in int32', () => {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigInt64(0, 1n << 40n, true);
      expect(() => parseSafetensors(handMade({ big: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, b))).toThrow(/tensor "big"/);
    });
    it('a header that is not JSON, or metadata that is not strings', () => {
      const bad = new Uint8Array(8 + 4);
      new DataView(bad.buffer).setBigUint64(0, 4n, true);
      bad.set(new TextEncoder().encode('{no '), 8);
      expect(() => parseHeader(bad)).toThrow(/not valid JSON/);
      expect(() => parseSafetensors(handMade({ __metadata__: { n: 1 } }, new Uint8Array(0)))).toThrow(/__metadata__\.n must be a string/);
    });
  });

  it('names the file in errors when reading from disk', async () => {
    const file = path.join(dir, 'trunc.safetensors');
    const { writeFile } = await import('node:fs/promises');
    const full = handMade({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, new Uint8Array(16));
    await writeFile(file, full.subarray(0, full.length - 6));
    await expect(readSafetensors(file)).rejects.toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: tensor "w"`));
    expect((await readFile(file)).length).toBe(full.length - 6);
  });
});
