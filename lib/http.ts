// Route-handler plumbing shared by every app/api route: errors become JSON bodies with a code
// and a message a person understands; nothing else leaks (no stack traces, no rows).
// Bad input stops here, before it reaches a use case or Postgres: bodies past their size limit
// (413, refused before or while reading), NUL characters and lone surrogates in any body, query
// or path parameter, and JSON nested deeper than any Hone request needs (400 naming the field).
import { z, ZodError, type ZodType } from 'zod';
import { AppError, isAppError } from './data/errors';
import { LIMITS } from './shared/labeling';
import { quote, unsafeTextReason } from './shared/text-safety';
import { issueDetails, type IssueLike } from './shared/issue-messages';
import { OUTAGE_RETRY_AFTER_S, isTransientOutage, outageMessage } from './data/outage';

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

const MiB = 1024 * 1024;

/**
 * The body-size limit of each class of route, in bytes. `json` is every JSON body not named
 * below (settings, filters, tokens, ids). `text` is labeling work and project text: drafts (at
 * most 200 000 characters), answers and messages, guidelines (at most 200 000 characters), with
 * room for UTF-8 and JSON escapes. `import` is an import file (LIMITS.importBytes) plus room for
 * multipart framing. Base-model uploads stream to disk with their own per-file limit.
 */
export const BODY_LIMITS = {
  json: 1 * MiB,
  text: 2 * MiB,
  import: LIMITS.importBytes + 64 * 1024,
} as const;

/** JSON nesting deeper than this is refused: no Hone request nests more than a few levels. */
export const MAX_JSON_DEPTH = 64;

// Error bodies never grow with the input: a 10 MB field must not make a 10 MB error.
const MAX_MESSAGE_CHARS = 500;
const MAX_DETAIL_STRING_CHARS = 300;
const MAX_DETAIL_ITEMS = 20;
const MAX_DETAIL_DEPTH = 6;

function boundedDetails(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return quote(value, MAX_DETAIL_STRING_CHARS);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DETAIL_DEPTH) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_DETAIL_ITEMS).map((v) => boundedDetails(v, depth + 1));
    return value.length > MAX_DETAIL_ITEMS ? [...items, `… and ${value.length - MAX_DETAIL_ITEMS} more`] : items;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, MAX_DETAIL_ITEMS)) out[quote(k, MAX_DETAIL_STRING_CHARS)] = boundedDetails(v, depth + 1);
  return out;
}
export function errorResponse(err: unknown): Response {
  // Postgres or Redis down (or an UNAVAILABLE AppError): 503 with Retry-After, never a 500.
  if (isTransientOutage(err)) {
    const details = isAppError(err) && err.details !== undefined ? boundedDetails(err.details) : undefined;
    const body: ErrorBody = { error: { code: 'UNAVAILABLE', message: quote(outageMessage(err), MAX_MESSAGE_CHARS), details } };
    return Response.json(body, { status: 503, headers: { 'Retry-After': String(OUTAGE_RETRY_AFTER_S) } });
  }
  if (isAppError(err)) {
    const details = err.details === undefined ? undefined : boundedDetails(err.details);
    return Response.json({ error: { code: err.code, message: quote(err.message, MAX_MESSAGE_CHARS), details } } satisfies ErrorBody, {
      status: err.status,
    });
  }
  if (err instanceof ZodError) {
    // Only the first MAX_DETAIL_ITEMS issues are worded; the rest are counted, not read.
    const worded = issueDetails(err.issues.slice(0, MAX_DETAIL_ITEMS) as IssueLike[]).map((d) => ({
      path: quote(d.path, MAX_DETAIL_STRING_CHARS),
      message: quote(d.message, MAX_DETAIL_STRING_CHARS),
    }));
    const more = err.issues.length - worded.length;
    const details = more > 0 ? [...worded, `… and ${more} more`] : worded;
    // The first issue, in words, is the message; details keep every {path, message} for programs and forms.
    const message = worded[0]?.message ?? 'The request is not valid.';
    return Response.json({ error: { code: 'INVALID_INPUT', message: quote(message, MAX_MESSAGE_CHARS), details } } satisfies ErrorBody, { status: 400 });
  }
  console.error(JSON.stringify({ level: 'error', msg: 'unhandled route error', error: String((err as Error)?.stack ?? err) }));
  return Response.json({ error: { code: 'INTERNAL', message: 'Something went wrong on the server.' } } satisfies ErrorBody, { status: 500 });
}

type Handler<C> = (req: Request, ctx: C) => Promise<Response | unknown> | Response | unknown;

/** Throws a 400 naming the parameter when a query or path parameter holds text Postgres cannot store. */
export function checkParams(entries: Iterable<[string, string | string[] | undefined]>, where: 'query' | 'path'): void {
  for (const [name, raw] of entries) {
    const nameProblem = unsafeTextReason(name);
    if (nameProblem) throw new AppError('INVALID_INPUT', `A ${where} parameter name ${nameProblem}.`, { in: where });
    for (const value of Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) {
      const problem = unsafeTextReason(value);
      if (problem) throw new AppError('INVALID_INPUT', `${quote(name)} (${where} parameter): ${problem}.`, { field: quote(name), in: where });
    }
  }
}

async function checkRequestParams(req: Request, ctx: unknown): Promise<void> {
  checkParams(new URL(req.url).searchParams, 'query');
  const params = (ctx as { params?: Promise<Record<string, string | string[] | undefined>> } | undefined)?.params;
  if (params) checkParams(Object.entries((await params) ?? {}), 'path');
}

/**
 * Wraps a route handler: query and path parameters are checked first, a returned plain value
 * becomes JSON, thrown errors become error bodies.
 */
export function route<C = { params: Promise<Record<string, string>> }>(fn: Handler<C>) {
  return async (req: Request, ctx: C): Promise<Response> => {
    try {
      await checkRequestParams(req, ctx);
      const out = await fn(req, ctx);
      if (out instanceof Response) return out;
      return Response.json(out ?? { ok: true });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

function tooLarge(what: string, limit: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `${what} is larger than the ${formatBytes(limit)} this endpoint accepts. Nothing was read or stored.`, { limitBytes: limit });
}

function formatBytes(n: number): string {
  return n % MiB === 0 ? `${n / MiB} MiB` : `${(n / MiB).toFixed(2)} MiB`;
}

/**
 * Reads a request body up to `limit` bytes. A Content-Length past the limit is refused before
 * reading; a chunked body is read until it passes the limit, then the read stops (413).
 */
export async function readBodyBytes(req: Request, limit: number, what = 'The request body'): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > limit) throw tooLarge(what, limit);
  if (!req.body) return new Uint8Array(new ArrayBuffer(0));
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // Not awaited: a client that keeps sending must not hold the answer back.
      reader.cancel().catch(() => undefined);
      throw tooLarge(what, limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The body as text (UTF-8), at most `limit` bytes. */
export async function readBodyText(req: Request, limit: number, what?: string): Promise<string> {
  return new TextDecoder().decode(await readBodyBytes(req, limit, what));
}

const fieldName = (path: (string | number)[]) => (path.length ? quote(path.join('.')) : 'body');

/**
 * Walks parsed JSON and throws a 400 naming the field at the first string (key or value) that
 * holds a NUL or lone surrogate, or where the nesting passes MAX_JSON_DEPTH. Iterative, so the
 * walk itself cannot overflow the stack.
 */
export function checkJsonValue(value: unknown): void {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = unsafeTextReason(v);
      if (problem) throw new AppError('INVALID_INPUT', `${fieldName(path)}: ${problem}.`, { field: fieldName(path) });
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH) {
      throw new AppError('INVALID_INPUT', `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels (at ${fieldName(path.slice(0, 8))}…); no Hone request nests that deep.`, {
        field: fieldName(path.slice(0, 8)),
      });
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
      continue;
    }
    for (const [k, child] of Object.entries(v).reverse()) {
      const problem = unsafeTextReason(k);
      if (problem) throw new AppError('INVALID_INPUT', `A key in ${fieldName(path)} ${problem}.`, { field: fieldName(path) });
      stack.push({ value: child, path: [...path, k] });
    }
  }
}

export type ReadJsonOptions = {
  /** The body-size limit (a BODY_LIMITS entry); `json` when not given. */
  limit?: number;
  /** The value an empty body stands for; without it an empty body is refused. */
  empty?: unknown;
};

/**
 * Parses a JSON body with a zod schema. Refuses, with a clear 4xx, a body past the size limit,
 * one that is not JSON, nesting past MAX_JSON_DEPTH, and NUL or lone surrogates in any string.
 */
export async function readJson<T>(req: Request, schema: ZodType<T>, options: ReadJsonOptions = {}): Promise<T> {
  const text = await readBodyText(req, options.limit ?? BODY_LIMITS.json);
  let body: unknown;
  if (!text.trim() && 'empty' in options) {
    body = options.empty;
  } else {
    try {
      body = JSON.parse(text);
    } catch {
      throw new AppError('INVALID_INPUT', text.trim() ? 'The request body must be JSON.' : 'The request body is empty; it must be JSON.');
    }
  }
  checkJsonValue(body);
  return schema.parse(body);
}

/** A query parameter that must be one of `allowed` (or absent): anything else is a 400 listing them. */
export function queryEnum<const T extends string>(params: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new AppError('INVALID_INPUT', `${name}: "${quote(value)}" is not allowed; use one of ${allowed.join(', ')}.`, { field: name, allowed });
}

const NoInput = z.strictObject({}, { error: 'This endpoint takes no input: send no body, or {}' });

/** For routes that take no input: no body or `{}` is fine; anything else is a 400, as unknown keys are everywhere. */
export async function readNoInput(req: Request): Promise<void> {
  await readJson(req, NoInput, { empty: {} });
}
