// Errors of the /v1 routes in OpenAI's shape ({error: {message, type, param, code}}), which every
// OpenAI client parses: an AppError keeps its status, a Postgres or Redis outage is a 503 with
// Retry-After (never a 500, never an empty body), anything else is a logged 500.
import { isAppError } from '@/lib/data/errors';
import { OUTAGE_RETRY_AFTER_S, isTransientOutage, outageMessage } from '@/lib/data/outage';

export function oaiError(status: number, message: string, type: string, code: string | null = null, param: string | null = null, headers?: HeadersInit): Response {
  return Response.json({ error: { message, type, param, code } }, { status, headers });
}

export function oaiErrorFrom(e: unknown, where: string, internalMessage: string): Response {
  if (isTransientOutage(e)) return oaiError(503, outageMessage(e), 'server_error', 'unavailable', null, { 'Retry-After': String(OUTAGE_RETRY_AFTER_S) });
  if (isAppError(e)) return oaiError(e.status, e.message, e.code === 'UNAUTHENTICATED' ? 'authentication_error' : 'invalid_request_error', e.code.toLowerCase());
  console.error(`${where}:`, e);
  return oaiError(500, internalMessage, 'server_error');
}
