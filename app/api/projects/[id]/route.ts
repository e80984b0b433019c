// GET /api/projects/:id — settings, guidelines and counts (ADMIN); PATCH — edit (ADMIN).
import { BODY_LIMITS, route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { ProjectPatch } from '@/lib/shared/schemas';
import { getProject } from '@/lib/data/projects/get-project';
import { updateProject } from '@/lib/data/projects/update-project';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, { params }) => {
  await requireApiUser(req, 'ADMIN');
  const { id } = await params;
  return { project: await getProject(id) };
});

export const PATCH = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'ADMIN');
  const { id } = await params;
  const patch = await readJson(req, ProjectPatch, { limit: BODY_LIMITS.text });
  const out = await updateProject(id, patch, user.id);
  return { project: await getProject(out.id) };
});
