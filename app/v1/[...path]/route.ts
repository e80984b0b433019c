// Any other /v1 URL answers as OpenAI does, a JSON 404 ("Invalid URL (POST /v1/completions)"),
// not the HTML page: OpenAI clients parse the body of every error.
export const dynamic = 'force-dynamic';

function invalidUrl(req: Request): Response {
  const { pathname } = new URL(req.url);
  const shown = pathname.length > 120 ? `${pathname.slice(0, 120)}…` : pathname;
  return Response.json({ error: { message: `Invalid URL (${req.method} ${shown})`, type: 'invalid_request_error', param: null, code: null } }, { status: 404 });
}

export const GET = invalidUrl;
export const POST = invalidUrl;
export const PUT = invalidUrl;
export const PATCH = invalidUrl;
export const DELETE = invalidUrl;
