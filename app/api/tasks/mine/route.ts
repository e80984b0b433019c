// GET /api/tasks/mine — the labeler's counts, leases in progress and recent work.
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { labelerHome } from '@/lib/data/tasks/labeler-home';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const user = await requireApiUser(req, 'LABELER');
  return labelerHome(user.id);
});
