// GET /api/export-jobs/:id — status, progress, rows, bytes, sha256, fileUrl when done.
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { getExportJob } from '@/lib/data/exports/list-export-jobs';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'RESEARCHER');
  const { id } = await params;
  return { job: await getExportJob(user, id) };
});
