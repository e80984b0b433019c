// POST /api/projects/:id/completion-sets/import — JSONL completion sets (ADMIN). All or nothing.
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { importCompletionSets } from '@/lib/data/prompts/import-completion-sets';
import { readUpload } from '../../../import-body';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'ADMIN');
  const { id } = await params;
  const up = await readUpload(req);
  return { result: await importCompletionSets(id, up.text, user.id) };
});
