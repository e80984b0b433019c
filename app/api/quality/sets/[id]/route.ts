// GET /api/quality/sets/:id — one set: judgements, τ-b between each pair of labelers,
// consensus, gold order (RESEARCHER).
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { setDetail } from '@/lib/data/quality/set-detail';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, { params }) => {
  await requireApiUser(req, 'RESEARCHER');
  const { id } = await params;
  return { set: await setDetail(id) };
});
