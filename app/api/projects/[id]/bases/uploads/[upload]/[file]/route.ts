// PUT /api/projects/:id/bases/uploads/:upload/:fileName — one file of the model folder as the raw
// body (config.json, model.safetensors, vocab.json, merges.txt, tokenizer.json, …, or one
// .tar/.tar.gz/.zip of the folder), streamed to disk (ADMIN).
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { writeUploadFile } from '@/lib/data/bases/uploads';

export const dynamic = 'force-dynamic';

export const PUT = route(async (req, { params }) => {
  await requireApiUser(req, 'ADMIN');
  const { id, upload, file } = await params;
  return { file: await writeUploadFile(upload, id, file, req.body) };
});
