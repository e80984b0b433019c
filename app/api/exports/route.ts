// GET /api/exports — the export formats: id, title, description, top-level fields (RESEARCHER).
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { listFormats } from '@/lib/data/exports/list-formats';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  await requireApiUser(req, 'RESEARCHER');
  return { formats: listFormats() };
});
