// Route-handler plumbing shared by every app/api route: errors become JSON bodies with a code
// and a message a person understands; nothing else leaks (no stack traces, no rows).
import { ZodError, type ZodType } from 'zod';
import { AppError, isAppError } from './data/errors';
import { OUTAGE_RETRY_AFTER_S, isTransientOutage, outageMessage } from './data/outage';

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

export function errorResponse(err: unknown): Response {
  // Postgres or Redis down (or an UNAVAILABLE AppError): 503 with Retry-After, never a 500.
  if (isTransientOutage(err)) {
    const body: ErrorBody = { error: { code: 'UNAVAILABLE', message: outageMessage(err), details: isAppError(err) ? err.details : undefined } };
    return Response.json(body, { status: 503, headers: { 'Retry-After': String(OUTAGE_RETRY_AFTER_S) } });
  }
  if (isAppError(err)) {
    return Response.json({ error: { code: err.code, message: err.message, details: err.details } } satisfies ErrorBody, {
      status: err.status,
    });
  }
  if (err instanceof ZodError) {
    const details = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = details[0];
    const message = first ? `${first.path || 'body'}: ${first.message}` : 'Invalid input';
    return Response.json({ error: { code: 'INVALID_INPUT', message, details } } satisfies ErrorBody, { status: 400 });
  }
  console.error(JSON.stringify({ level: 'error', msg: 'unhandled route error', error: String((err as Error)?.stack ?? err) }));
  return Response.json({ error: { code: 'INTERNAL', message: 'Something went wrong on the server.' } } satisfies ErrorBody, { status: 500 });
}

type Handler<C> = (req: Request, ctx: C) => Promise<Response | unknown> | Response | unknown;

/** Wraps a route handler: a returned plain value becomes JSON, thrown errors become error bodies. */
export function route<C = { params: Promise<Record<string, string>> }>(fn: Handler<C>) {
  return async (req: Request, ctx: C): Promise<Response> => {
    try {
      const out = await fn(req, ctx);
      if (out instanceof Response) return out;
      return Response.json(out ?? { ok: true });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/** Parses a JSON body with a zod schema; a body that is not JSON is a clear 400. */
export async function readJson<T>(req: Request, schema: ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new AppError('INVALID_INPUT', 'The request body must be JSON.');
  }
  return schema.parse(body);
}
