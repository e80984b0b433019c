// GET /api/tasks/:id — the held task with prompt, completions (display order), dialogue, draft.
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { getTaskView } from '@/lib/data/tasks/get-task-view';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'LABELER');
  const { id } = await params;
  return { task: await getTaskView(id, user.id) };
});
