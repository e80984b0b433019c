// GET /api/projects/:id/bases/uploads/:upload — the files received so far (ADMIN);
// DELETE — drop the upload (ADMIN).
import { readNoInput, route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { readUpload, removeUpload } from '@/lib/data/bases/uploads';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, { params }) => {
  await requireApiUser(req, 'ADMIN');
  const { id, upload } = await params;
  return { upload: { id: upload, ...(await readUpload(upload, id)) } };
});

export const DELETE = route(async (req, { params }) => {
  await requireApiUser(req, 'ADMIN');
  await readNoInput(req);
  const { id, upload } = await params;
  await readUpload(upload, id);
  await removeUpload(upload);
  return { ok: true };
});
