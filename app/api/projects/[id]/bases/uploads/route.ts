// POST /api/projects/:id/bases/uploads — start an upload of a model folder's files (ADMIN). Then
// PUT each file to …/uploads/:upload/:fileName (raw bytes), then POST /api/projects/:id/bases
// { upload }. One request per file keeps a 500 MB model.safetensors out of memory.
import { readNoInput, route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { createUpload } from '@/lib/data/bases/uploads';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'ADMIN');
  await readNoInput(req);
  const { id } = await params;
  return Response.json({ upload: await createUpload(id, user.id) }, { status: 201 });
});
