// GET /api/projects — projects (any signed-in user); POST — create one (ADMIN).
import { route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { ProjectInput } from '@/lib/shared/schemas';
import { listProjects } from '@/lib/data/projects/list-projects';
import { createProject } from '@/lib/data/projects/create-project';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const user = await requireApiUser(req);
  const all = new URL(req.url).searchParams.get('archived') === '1' && user.role === 'ADMIN';
  return { projects: await listProjects({ includeArchived: all }) };
});

export const POST = route(async (req) => {
  const user = await requireApiUser(req, 'ADMIN');
  const input = await readJson(req, ProjectInput);
  return Response.json({ project: await createProject(input, user.id) }, { status: 201 });
});
