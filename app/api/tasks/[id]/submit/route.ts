// POST /api/tasks/:id/submit — body by kind; Idempotency-Key header (or body idempotencyKey).
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { AppError } from '@/lib/data/errors';
import { submitTask } from '@/lib/data/submissions/submit-task';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'LABELER');
  const { id } = await params;
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new AppError('INVALID_INPUT', 'The request body must be JSON.');
  }
  const header = req.headers.get('idempotency-key') ?? undefined;
  if (header !== undefined && (header.length < 8 || header.length > 200)) throw new AppError('INVALID_INPUT', 'Idempotency-Key must be 8–200 characters.');
  const out = await submitTask(id, user.id, body, header);
  return Response.json({ submission: out }, { status: out.duplicate ? 200 : 201 });
});
