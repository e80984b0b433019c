// POST /api/tasks/:id/skip {reason} — give the task back with a reason.
import { route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { SkipInput } from '@/lib/shared/schemas';
import { skipTask } from '@/lib/data/tasks/skip-task';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'LABELER');
  const { id } = await params;
  const { reason } = await readJson(req, SkipInput);
  return { task: await skipTask(id, user.id, reason) };
});
