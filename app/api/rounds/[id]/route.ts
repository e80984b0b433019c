// GET: one round — stages with progress/ETA/errors, metric series, logs, evaluation, checkpoints.
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { getRound } from '@/lib/data/rounds/get-round';

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  await requireApiUser(req, 'ADMIN', 'RESEARCHER');
  const { id } = await params;
  return { round: await getRound(id) };
});
