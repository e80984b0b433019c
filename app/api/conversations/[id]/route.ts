// GET /api/conversations/:id — the labeler's dialogue tree.
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { getConversation } from '@/lib/data/conversations/get-conversation';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'LABELER');
  const { id } = await params;
  return { conversation: await getConversation(id, user.id) };
});
