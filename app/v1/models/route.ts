// OpenAI-compatible model list: each project's active policy (id = project slug) and every READY
// POLICY checkpoint (id = checkpoint name). Bearer token or session.
import { authenticate } from '@/lib/auth/api';
import { isAppError } from '@/lib/data/errors';
import { listModels } from '@/lib/data/checkpoints/resolve-model';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  try {
    await authenticate(req);
  } catch (e) {
    if (isAppError(e)) return Response.json({ error: { message: e.message, type: 'authentication_error', param: null, code: e.code.toLowerCase() } }, { status: e.status });
    throw e;
  }
  const models = await listModels();
  return Response.json({ object: 'list', data: models.map((m) => ({ id: m.id, object: 'model', created: m.created, owned_by: m.owned_by })) });
}
