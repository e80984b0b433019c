// POST: cancel a round — the running stage stops at its next step and keeps its last checkpoint.
import { readNoInput, route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { cancelRound } from '@/lib/data/rounds/cancel-round';

export const POST = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const admin = await requireApiUser(req, 'ADMIN');
  await readNoInput(req);
  const { id } = await params;
  return { round: await cancelRound(id, admin.id) };
});
