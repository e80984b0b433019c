// lib/http's edge checks without services: body limits, NUL and lone surrogates, depth, enum
// query parameters, and error bodies that never grow with the input.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from './data/errors';
import { BODY_LIMITS, MAX_JSON_DEPTH, checkJsonValue, errorResponse, type ErrorBody, queryEnum, readBodyBytes, readJson, readNoInput, route } from './http';
import { quote, unsafeTextReason } from './shared/text-safety';

const B = 'http://localhost:3000';
const jsonRequest = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request(`${B}/api/x`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

/** A chunked body (no Content-Length) of `chunks` × `chunkBytes`, counting what was pulled. */
function chunkedBody(chunks: number, chunkBytes: number) {
  const pulled = { chunks: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.chunks === chunks) return controller.close();
      pulled.chunks++;
      controller.enqueue(new Uint8Array(chunkBytes).fill(0x61));
    },
  });
  return { stream, pulled };
}

describe('text safety', () => {
  it('names NUL and lone surrogates, and lets paired surrogates through', () => {
    expect(unsafeTextReason('fine 😀 text')).toBeNull();
    expect(unsafeTextReason('a\u0000b')).toMatch(/NUL character \(\\u0000\) at position 1/);
    expect(unsafeTextReason('x\ud800')).toMatch(/lone UTF-16 surrogate \(\\ud800\) at position 1/);
    expect(unsafeTextReason('\udc00y')).toMatch(/lone UTF-16 surrogate \(\\udc00\) at position 0/);
  });

  it('quotes at most 100 characters and never splits a surrogate pair', () => {
    expect(quote('short')).toBe('short');
    expect(quote('a'.repeat(500))).toBe(`${'a'.repeat(100)}…`);
    const cut = quote(`${'a'.repeat(99)}😀tail`);
    expect(cut).toBe(`${'a'.repeat(99)}…`);
    expect(unsafeTextReason(cut)).toBeNull();
  });
});

describe('readBodyBytes and readJson: body-size limits', () => {
  it('refuses a declared Content-Length past the limit with 413 before reading', async () => {
    const { stream, pulled } = chunkedBody(10, 1024);
    const req = new Request(`${B}/api/x`, { method: 'POST', headers: { 'content-length': String(BODY_LIMITS.json + 1) }, body: stream, duplex: 'half' } as RequestInit);
    const err = await caught(readBodyBytes(req, BODY_LIMITS.json));
    expect(err.code).toBe('PAYLOAD_TOO_LARGE');
    expect(err.status).toBe(413);
    expect(err.message).toMatch(/larger than the 1 MiB this endpoint accepts/);
    // A stream fills its queue of one chunk on its own; the reader took nothing past that.
    expect(pulled.chunks).toBeLessThanOrEqual(1);
  });

  it('stops reading a chunked body once it passes the limit', async () => {
    // 100 MiB offered in 64 KiB chunks; the reader must stop just past 1 MiB.
    const { stream, pulled } = chunkedBody(1600, 64 * 1024);
    const err = await caught(readJson(jsonRequest(stream), z.unknown()));
    expect(err.status).toBe(413);
    expect(pulled.chunks).toBeLessThanOrEqual(BODY_LIMITS.json / (64 * 1024) + 3);
  });

  it('reads a body at the limit, and a larger class lets more through', async () => {
    const text = JSON.stringify({ t: 'a'.repeat(BODY_LIMITS.json - 8) });
    expect(Buffer.byteLength(text)).toBe(BODY_LIMITS.json);
    await expect(readJson(jsonRequest(text), z.object({ t: z.string() }))).resolves.toMatchObject({});
    const bigger = JSON.stringify({ t: 'a'.repeat(BODY_LIMITS.json + 10) });
    expect((await caught(readJson(jsonRequest(bigger), z.unknown()))).status).toBe(413);
    await expect(readJson(jsonRequest(bigger), z.object({ t: z.string() }), { limit: BODY_LIMITS.text })).resolves.toMatchObject({});
  });
});

describe('readJson: parsing and checks', () => {
  it('refuses non-JSON and an empty body unless an empty value is given', async () => {
    expect((await caught(readJson(jsonRequest('{nope'), z.unknown()))).message).toBe('The request body must be JSON.');
    expect((await caught(readJson(jsonRequest(''), z.unknown()))).message).toMatch(/empty; it must be JSON/);
    await expect(readJson(jsonRequest(''), z.object({}).strict(), { empty: {} })).resolves.toEqual({});
  });

  it('readNoInput takes no body or {}, and refuses anything else', async () => {
    await expect(readNoInput(jsonRequest(null))).resolves.toBeUndefined();
    await expect(readNoInput(jsonRequest('{}'))).resolves.toBeUndefined();
    await expect(readNoInput(jsonRequest('{"force":true}'))).rejects.toThrow('This endpoint takes no input: send no body, or {}');
    expect((await caught(readNoInput(jsonRequest('{nope')))).message).toBe('The request body must be JSON.');
  });

  it('names the field holding a NUL or a lone surrogate, keys included', async () => {
    const nul = await caught(readJson(jsonRequest(JSON.stringify({ prompt: 'hi\u0000there' })), z.unknown()));
    expect(nul.message).toBe('prompt: contains a NUL character (\\u0000) at position 2; remove it.');
    expect(nul.details).toEqual({ field: 'prompt' });
    const deep = await caught(readJson(jsonRequest('{"draft":{"notes":["ok","x\\ud800"]}}'), z.unknown()));
    expect(deep.message).toMatch(/^draft\.notes\.1: contains a lone UTF-16 surrogate/);
    const key = await caught(readJson(jsonRequest('{"draft":{"a\\u0000":1}}'), z.unknown()));
    expect(key.message).toMatch(/^A key in draft contains a NUL character/);
    const root = await caught(readJson(jsonRequest('"\\u0000"'), z.unknown()));
    expect(root.message).toMatch(/^body: contains a NUL/);
  });

  it('bounds nesting: 5,000-deep arrays are a 400, 64 levels are fine', async () => {
    const deep = `{"role":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const err = await caught(readJson(jsonRequest(deep), z.unknown()));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(new RegExp(`nested deeper than ${MAX_JSON_DEPTH} levels \\(at role\\.0\\.0`));
    expect(() => checkJsonValue(JSON.parse(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`))).not.toThrow();
    expect(() => checkJsonValue(JSON.parse(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`))).toThrow(/nested deeper/);
  });
});

describe('route(): query and path parameters', () => {
  const echo = route(async (req, { params }) => ({ params: await params, q: new URL(req.url).search }));
  const call = (url: string, params: Record<string, string>) => echo(new Request(`${B}${url}`), { params: Promise.resolve(params) });

  it('refuses %00 in a query parameter and NUL in a path parameter, naming them', async () => {
    const q = await call('/api/x?projectId=ab%00c', { id: 'fine' });
    expect(q.status).toBe(400);
    expect(((await q.json()) as { error: { message: string } }).error.message).toBe('projectId (query parameter): contains a NUL character (\\u0000) at position 2; remove it.');
    const p = await call('/api/x', { id: 'a\u0000' });
    expect(p.status).toBe(400);
    expect(await p.json()).toMatchObject({ error: { code: 'INVALID_INPUT', details: { field: 'id', in: 'path' } } });
    const ok = await call('/api/x?projectId=abc', { id: 'fine' });
    expect(ok.status).toBe(200);
  });

  it('queryEnum refuses other values listing the allowed ones', () => {
    const sp = new URLSearchParams('kind=foo');
    expect(() => queryEnum(sp, 'kind', ['BASE', 'POLICY'])).toThrow('kind: "foo" is not allowed; use one of BASE, POLICY.');
    expect(queryEnum(new URLSearchParams('kind=BASE'), 'kind', ['BASE', 'POLICY'])).toBe('BASE');
    expect(queryEnum(new URLSearchParams(''), 'kind', ['BASE'])).toBeUndefined();
  });
});

describe('errorResponse: validation errors in words', () => {
  it('makes the first issue, without its path, the message and keeps {path, message} details', async () => {
    const schema = z.object({ name: z.string().min(1), settings: z.object({ sft: z.object({ steps: z.number().int() }) }) }).strict();
    const body = (await errorResponse(schema.safeParse({ name: 'x', settings: { sft: { steps: '10' } } }).error).json()) as ErrorBody;
    expect(body.error).toEqual({
      code: 'INVALID_INPUT',
      message: 'SFT steps must be a number.',
      details: [{ path: 'settings.sft.steps', message: 'SFT steps must be a number.' }],
    });
    const empty = (await errorResponse(schema.safeParse({ name: '', settings: { sft: { steps: 1.5 } } }).error).json()) as ErrorBody;
    expect(empty.error.message).toBe('Name is empty; fill it in.');
    expect(empty.error.details).toEqual([
      { path: 'name', message: 'Name is empty; fill it in.' },
      { path: 'settings.sft.steps', message: 'SFT steps must be a whole number.' },
    ]);
  });
});

describe('errorResponse: bounded error bodies', () => {
  it('quotes at most a short prefix of a 10 MB field', async () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const zod = z.object({ name: z.string() }).strict().safeParse({ name: 'a', [huge]: 1 });
    const res = errorResponse(zod.error);
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text.length).toBeLessThan(2_000);
    const app = errorResponse(new AppError('NOT_FOUND', `No task with id ${huge}.`, { id: huge, list: Array.from({ length: 1000 }, () => huge) }));
    expect((await app.text()).length).toBeLessThan(10_000);
  });

  it('caps the number of zod issues in details', async () => {
    const r = z.array(z.number()).safeParse(Array.from({ length: 5000 }, () => 'no'));
    const body = (await errorResponse(r.error).json()) as { error: { details: unknown[] } };
    expect(body.error.details).toHaveLength(21);
    expect(body.error.details[20]).toBe('… and 4980 more');
  });
});
