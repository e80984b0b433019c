// POST /api/tasks/:id/submit — body by kind; Idempotency-Key header (or body idempotencyKey).
import { z } from 'zod';
import { BODY_LIMITS, route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { AppError } from '@/lib/data/errors';
import { submitTask } from '@/lib/data/submissions/submit-task';

export const dynamic = 'force-dynamic';

// Small JSON answers, sent uncompressed: gzipping a ~200-byte body costs more CPU than it saves on
// the wire, and Next's response compression honours `Cache-Control: no-transform`.
function json(body: unknown, status = 200): Response {
  const text = JSON.stringify(body);
  return new Response(text, { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-transform' } });
}

export const POST = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'LABELER');
  const { id } = await params;
  // submitTask parses the body with the schema of the task's kind.
  const body = await readJson(req, z.unknown(), { limit: BODY_LIMITS.text });
  const header = req.headers.get('idempotency-key') ?? undefined;
  if (header !== undefined && (header.length < 8 || header.length > 200)) throw new AppError('INVALID_INPUT', 'Idempotency-Key must be 8–200 characters.');
  const out = await submitTask(id, user.id, body, header);
  return json({ submission: out }, out.duplicate ? 200 : 201);
});
