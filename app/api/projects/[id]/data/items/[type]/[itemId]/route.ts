// GET /api/projects/:id/data/items/:type/:itemId — one prompt, set, judgement, demonstration or
// dialogue of a project with everything the item page shows (RESEARCHER or ADMIN).
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { getDataItem } from '@/lib/data/browse/get-item';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, { params }) => {
  await requireApiUser(req, 'RESEARCHER');
  const { id, type, itemId } = await params;
  return { item: await getDataItem(id, type, itemId) };
});
