// POST /api/conversations/:id/messages {parentId, role, text, editedFromId?} — add a turn.
import { BODY_LIMITS, route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { MessageInput } from '@/lib/shared/schemas';
import { addMessage } from '@/lib/data/conversations/add-message';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'LABELER');
  const { id } = await params;
  const input = await readJson(req, MessageInput, { limit: BODY_LIMITS.text });
  return Response.json({ message: await addMessage(id, user.id, input) }, { status: 201 });
});
