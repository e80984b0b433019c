// POST /api/projects/:id/prompts/import — JSONL or CSV prompts (ADMIN). All or nothing.
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { importPrompts } from '@/lib/data/prompts/import-prompts';
import { detectFormat } from '@/lib/data/prompts/parse-prompt-file';
import { readUpload } from '../../../import-body';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'ADMIN');
  const { id } = await params;
  const up = await readUpload(req);
  const format = up.format ?? detectFormat(up.filename, up.contentType, up.text);
  return { result: await importPrompts(id, up.text, format, user.id) };
});
