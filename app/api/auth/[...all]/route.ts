// better-auth's HTTP endpoints: /api/auth/sign-in/email, /api/auth/sign-out, /api/auth/get-session, …
// Input is checked before better-auth sees it, as on every other route: a body past BODY_LIMITS.json
// is a 413, and NUL characters or lone surrogates in the query or a JSON or form body are a 400
// naming the field (better-auth would pass them to Postgres, which refuses them with a 500).
import { toNextJsHandler } from 'better-auth/next-js';
import { auth } from '@/lib/auth/server';
import { BODY_LIMITS, checkJsonValue, checkParams, errorResponse, readBodyText } from '@/lib/http';

const handlers = toNextJsHandler(auth);

async function checkedRequest(req: Request): Promise<Request> {
  checkParams(new URL(req.url).searchParams, 'query');
  if (req.method === 'GET' || req.method === 'HEAD') return req;
  const text = await readBodyText(req, BODY_LIMITS.json);
  const type = req.headers.get('content-type') ?? '';
  if (type.includes('application/json') && text.trim()) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined; // better-auth answers malformed JSON itself
    }
    checkJsonValue(body);
  } else if (type.includes('application/x-www-form-urlencoded')) {
    checkParams(new URLSearchParams(text), 'query');
  }
  // The body was read here, so better-auth gets a copy of the request with the same text.
  return new Request(req.url, { method: req.method, headers: req.headers, body: text, signal: req.signal });
}

function guarded(handler: (req: Request) => Promise<Response>) {
  return async (req: Request): Promise<Response> => {
    let checked: Request;
    try {
      checked = await checkedRequest(req);
    } catch (err) {
      return errorResponse(err);
    }
    return handler(checked);
  };
}

export const GET = guarded(handlers.GET);
export const POST = guarded(handlers.POST);
