// POST /api/projects/:id/conversations/import — JSONL conversations (ADMIN). All or nothing;
// their model-written turns then go to the sample queue for in-context comparisons.
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { importConversations } from '@/lib/data/conversations/import-conversations';
import { readUpload } from '../../../import-body';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'ADMIN');
  const { id } = await params;
  const up = await readUpload(req);
  return { result: await importConversations(id, up.text, user.id) };
});
