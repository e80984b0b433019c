// OpenAI-compatible model list: each project's active policy (id = project slug) and every READY
// POLICY checkpoint (id = checkpoint name). Bearer token or session. Errors in OpenAI's shape.
import { authenticate } from '@/lib/auth/api';
import { isAppError } from '@/lib/data/errors';
import { listModels } from '@/lib/data/checkpoints/resolve-model';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  try {
    await authenticate(req);
    const models = await listModels();
    return Response.json({ object: 'list', data: models.map((m) => ({ id: m.id, object: 'model', created: m.created, owned_by: m.owned_by })) });
  } catch (e) {
    if (isAppError(e)) {
      return Response.json({ error: { message: e.message, type: e.code === 'UNAUTHENTICATED' ? 'authentication_error' : 'invalid_request_error', param: null, code: e.code.toLowerCase() } }, { status: e.status });
    }
    console.error('/v1/models:', e);
    return Response.json({ error: { message: 'The models could not be listed because of an internal error.', type: 'server_error', param: null, code: null } }, { status: 500 });
  }
}
