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
  // Parsed as a field so that the error names it ("version: …").
  const { version } = z.object({ version: z.coerce.number().int().min(1).optional() }).parse({ version: v ?? undefined });
  return { guidelines: await getGuidelines(id, version) };
});
