// POST /api/tasks/:id/suggest — for a demonstration task held by the caller: ask the active
// policy for an answer to the prompt. Returns { suggestion: { id, text, fromModel } }; submit
// with suggestionId when the labeler accepted it.
import { readNoInput, route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { suggestDemonstration } from '@/lib/data/suggestions/suggest-demonstration';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'LABELER');
  await readNoInput(req);
  const { id } = await params;
  return Response.json({ suggestion: await suggestDemonstration(id, user.id) }, { status: 201 });
});
