// GET /api/export-jobs/:id/file — the finished file (owner or ADMIN). 409 while running,
// 410 when the job failed (it left no file).
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { openExportFile } from '@/lib/data/exports/open-export-file';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'RESEARCHER');
  const { id } = await params;
  const file = await openExportFile(user, id);
  return new Response(file.body, {
    headers: {
      'content-type': file.contentType,
      'content-length': String(file.size),
      'content-disposition': `attachment; filename="${file.filename}"`,
      'cache-control': 'no-store',
      ...(file.sha256 ? { 'x-hone-sha256': file.sha256 } : {}),
    },
  });
});
