// GET /api/snapshots/:id — one snapshot and its manifest.
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { getSnapshot } from '@/lib/data/snapshots/get-snapshot';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, { params }) => {
  await requireApiUser(req, 'RESEARCHER');
  const { id } = await params;
  return { snapshot: await getSnapshot(id) };
});
