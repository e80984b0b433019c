// OpenAI-compatible model list: each project's active policy (id = project slug) and every READY
// POLICY checkpoint (id = checkpoint name). Bearer token or session. Errors in OpenAI's shape.
import { authenticate } from '@/lib/auth/api';
import { listModels } from '@/lib/data/checkpoints/resolve-model';
import { oaiErrorFrom } from '../openai-error';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  try {
    await authenticate(req);
    const models = await listModels();
    return Response.json({ object: 'list', data: models.map((m) => ({ id: m.id, object: 'model', created: m.created, owned_by: m.owned_by })) });
  } catch (e) {
    return oaiErrorFrom(e, '/v1/models', 'The models could not be listed because of an internal error.');
  }
}
