// GET: one arena evaluation — status, models with their checkpoint names, prompts, battles, votes
// wanted and cast, the reply job's progress, the error if it failed (ADMIN, RESEARCHER).
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { getEvaluation } from '@/lib/data/arena/list-evaluations';

export const dynamic = 'force-dynamic';

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  await requireApiUser(req, 'ADMIN', 'RESEARCHER');
  const { id } = await params;
  return { evaluation: await getEvaluation(id) };
});
