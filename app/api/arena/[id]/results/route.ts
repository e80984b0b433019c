// GET /api/arena/:id/results — the leaderboard (Bradley–Terry ratings with 95% bootstrap
// intervals), pair win rates with ties and both-bad, vote progress and votes per labeler
// (ADMIN, RESEARCHER; model names included, so never a labeler).
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { getArenaResults } from '@/lib/data/arena/results';

export const dynamic = 'force-dynamic';

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  await requireApiUser(req, 'ADMIN', 'RESEARCHER');
  const { id } = await params;
  return { results: await getArenaResults(id) };
});
