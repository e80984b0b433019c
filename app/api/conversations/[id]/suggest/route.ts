// POST /api/conversations/:id/suggest {parentId} — ask the active policy for the next
// assistant turn (via the infer queue); the suggestion is stored and returned.
import { route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { SuggestInput } from '@/lib/shared/schemas';
import { requestSuggestion } from '@/lib/data/conversations/request-suggestion';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'LABELER');
  const { id } = await params;
  const { parentId } = await readJson(req, SuggestInput);
  return Response.json({ message: await requestSuggestion(id, user.id, parentId) }, { status: 201 });
});
