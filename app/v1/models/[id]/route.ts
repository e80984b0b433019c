// OpenAI-compatible model lookup: GET /v1/models/{id} answers the model object GET /v1/models
// lists under that id, or OpenAI's JSON 404 (model_not_found). The id is matched against the
// list in memory, so any bytes in it (a NUL, a lone surrogate) give a 404, never a 500.
import { authenticate } from '@/lib/auth/api';
import { listModels } from '@/lib/data/checkpoints/resolve-model';
import { oaiErrorFrom } from '../../openai-error';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    await authenticate(req);
    const { id } = await ctx.params;
    const model = (await listModels()).find((m) => m.id === id);
    if (!model) {
      const shown = id.length > 80 ? `${id.slice(0, 80)}…` : id;
      return Response.json(
        { error: { message: `The model '${shown.replace(/[\u0000\ud800-\udfff]/g, '\ufffd')}' does not exist (GET /v1/models lists them).`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' } },
        { status: 404 },
      );
    }
    return Response.json({ id: model.id, object: 'model', created: model.created, owned_by: model.owned_by });
  } catch (e) {
    return oaiErrorFrom(e, '/v1/models/{id}', 'The model could not be looked up because of an internal error.');
  }
}
