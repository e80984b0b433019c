// GET /api/projects/:id/guidelines[?version=N] — the markdown guidelines (any signed-in user).
import { z } from 'zod';
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { getGuidelines } from '@/lib/data/projects/get-guidelines';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, { params }) => {
  await requireApiUser(req);
  const { id } = await params;
  const v = new URL(req.url).searchParams.get('version');
  const version = v === null ? undefined : z.coerce.number().int().min(1).parse(v);
  return { guidelines: await getGuidelines(id, version) };
});
