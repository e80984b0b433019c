// GET /api/gold?projectId=…&show=gold|candidates — sets for gold marking (ADMIN).
import { queryEnum, route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { AppError } from '@/lib/data/errors';
import { listGoldSets } from '@/lib/data/gold/list-gold-sets';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  await requireApiUser(req, 'ADMIN');
  const sp = new URL(req.url).searchParams;
  const projectId = sp.get('projectId');
  if (!projectId) throw new AppError('INVALID_INPUT', 'Say which project: add ?projectId=<project id> to the address.', { field: 'projectId' });
  const show = queryEnum(sp, 'show', ['gold', 'candidates']) ?? 'candidates';
  return { sets: await listGoldSets({ projectId, show }) };
});
