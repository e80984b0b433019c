// POST: close an arena evaluation (ADMIN) — its open battles are no longer served; votes stay.
import { readNoInput, route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { clientIp } from '@/lib/auth/ip';
import { closeEvaluation } from '@/lib/data/arena/close-evaluation';

export const POST = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const admin = await requireApiUser(req, 'ADMIN');
  await readNoInput(req);
  const { id } = await params;
  return { evaluation: await closeEvaluation(id, admin.id, clientIp(req.headers)) };
});
