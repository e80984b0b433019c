// POST /api/tasks/:id/renew — take an expired lease back while a slot is free (draft kept).
import { readNoInput, route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { renewLease } from '@/lib/data/tasks/renew-lease';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'LABELER');
  await readNoInput(req);
  const { id } = await params;
  return { lease: await renewLease(id, user.id) };
});
