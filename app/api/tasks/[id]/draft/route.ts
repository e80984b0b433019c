// PUT /api/tasks/:id/draft {draft} — autosave work in progress (also accepts POST, for
// navigator.sendBeacon on page hide).
import { BODY_LIMITS, route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { DraftInput } from '@/lib/shared/schemas';
import { saveDraft } from '@/lib/data/drafts/save-draft';

export const dynamic = 'force-dynamic';

const handler = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'LABELER');
  const { id } = await params;
  const { draft } = await readJson(req, DraftInput, { limit: BODY_LIMITS.text });
  return { draft: await saveDraft(id, user.id, draft) };
});
export const PUT = handler;
export const POST = handler;
