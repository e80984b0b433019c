// Labelers whose ranking judgements a project's next round snapshots leave out.
// GET ?projectId=… — the list (RESEARCHER); POST {projectId, userId} — exclude (ADMIN);
// DELETE ?projectId=…&userId=… — undo (ADMIN).
import { z } from 'zod';
import { readJson, readNoInput, route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { AppError } from '@/lib/data/errors';
import { excludeLabeler, includeLabeler, listExclusions } from '@/lib/data/quality/labeler-exclusions';

export const dynamic = 'force-dynamic';

const ExclusionInput = z
  .object({
    projectId: z.string({ error: 'Say which project (projectId).' }).trim().min(1, 'Say which project (projectId).'),
    userId: z.string({ error: 'Say which labeler to exclude (userId).' }).trim().min(1, 'Say which labeler to exclude (userId).'),
  })
  .strict();

function need(sp: URLSearchParams, name: 'projectId' | 'userId'): string {
  const v = sp.get(name)?.trim();
  if (!v) throw new AppError('INVALID_INPUT', `Say which ${name === 'projectId' ? 'project' : 'labeler'}: add ?${name}=<id> to the address.`, { field: name });
  return v;
}

export const GET = route(async (req) => {
  await requireApiUser(req, 'RESEARCHER');
  const projectId = need(new URL(req.url).searchParams, 'projectId');
  return { exclusions: await listExclusions(projectId) };
});

export const POST = route(async (req) => {
  const user = await requireApiUser(req, 'ADMIN');
  const input = await readJson(req, ExclusionInput);
  return { exclusion: await excludeLabeler({ ...input, actorId: user.id }) };
});

export const DELETE = route(async (req) => {
  const user = await requireApiUser(req, 'ADMIN');
  await readNoInput(req);
  const sp = new URL(req.url).searchParams;
  return { exclusion: await includeLabeler({ projectId: need(sp, 'projectId'), userId: need(sp, 'userId'), actorId: user.id }) };
});
