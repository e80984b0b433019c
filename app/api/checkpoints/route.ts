// GET ?projectId=&kind=: checkpoints with lineage and metrics (ADMIN, RESEARCHER).
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { listCheckpoints } from '@/lib/data/checkpoints/list-checkpoints';

export const GET = route(async (req) => {
  await requireApiUser(req, 'ADMIN', 'RESEARCHER');
  const q = new URL(req.url).searchParams;
  return { checkpoints: await listCheckpoints({ projectId: q.get('projectId') ?? undefined, kind: q.get('kind') ?? undefined }) };
});
