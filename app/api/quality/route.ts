// GET /api/quality?projectId=… — agreement and bias metrics of a project (RESEARCHER).
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { AppError } from '@/lib/data/errors';
import { projectQuality } from '@/lib/data/quality/project-quality';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  await requireApiUser(req, 'RESEARCHER');
  const projectId = new URL(req.url).searchParams.get('projectId');
  if (!projectId) throw new AppError('INVALID_INPUT', 'projectId: is required.');
  return { quality: await projectQuality(projectId) };
});
