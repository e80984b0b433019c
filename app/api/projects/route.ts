// GET /api/projects — projects (any signed-in user); POST — create one (ADMIN).
import { BODY_LIMITS, queryEnum, route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { ProjectInput } from '@/lib/shared/schemas';
import { listProjects } from '@/lib/data/projects/list-projects';
import { createProject } from '@/lib/data/projects/create-project';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const user = await requireApiUser(req);
  const all = queryEnum(new URL(req.url).searchParams, 'archived', ['0', '1']) === '1' && user.role === 'ADMIN';
  return { projects: await listProjects({ includeArchived: all }) };
});

export const POST = route(async (req) => {
  const user = await requireApiUser(req, 'ADMIN');
  const input = await readJson(req, ProjectInput, { limit: BODY_LIMITS.text });
  return Response.json({ project: await createProject(input, user.id) }, { status: 201 });
});
