// GET /api/projects/:id/bases — the project's BASE checkpoints and the model folders an admin can
// register from HONE_MODELS_DIR (ADMIN). POST { folder | upload, name? } — register a Hugging Face
// GPT-2-family folder as a BASE checkpoint; answers once a worker has checked and stored it, or
// 400 with what is wrong with the folder (ADMIN).
import { route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { listCheckpoints } from '@/lib/data/checkpoints/list-checkpoints';
import { listModelFolders, modelsDir } from '@/lib/data/bases/models-dir';
import { registerBase, RegisterBaseInput } from '@/lib/data/bases/register-base';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, { params }) => {
  await requireApiUser(req, 'ADMIN');
  const { id } = await params;
  return { bases: await listCheckpoints({ projectId: id, kind: 'BASE' }), modelsDir: modelsDir(), folders: await listModelFolders() };
});

export const POST = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'ADMIN');
  const { id } = await params;
  const input = await readJson(req, RegisterBaseInput);
  return Response.json({ checkpoint: await registerBase(id, input, user.id) }, { status: 201 });
});
