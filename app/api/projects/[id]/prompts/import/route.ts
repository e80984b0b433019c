// POST /api/projects/:id/prompts/import — JSONL or CSV prompts (ADMIN). All or nothing.
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { importPrompts } from '@/lib/data/prompts/import-prompts';
import { detectFormat } from '@/lib/data/prompts/parse-prompt-file';
import { requestSampling } from '@/lib/data/sampling/request-sampling';
import { readUpload } from '../../../import-body';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'ADMIN');
  const { id } = await params;
  const up = await readUpload(req);
  const format = up.format ?? detectFormat(up.filename, up.contentType, up.text);
  const result = await importPrompts(id, up.text, format, user.id);
  // New prompts get K completions from the active policy (if any) for the next ranking tasks.
  const sampling = result.imported > 0 ? await requestSampling(id) : { queued: false as const, reason: 'No new prompts.' };
  return { result, sampling };
});
