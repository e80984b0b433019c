// GET /api/export-jobs — the caller's export jobs (admins: all). POST {format, filter, gzip?}
// — queue a large export; 202 with the job (RESEARCHER).
import { route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { ExportJobInput } from '@/lib/data/exports/inputs';
import { createExportJob } from '@/lib/data/exports/create-export-job';
import { listExportJobs } from '@/lib/data/exports/list-export-jobs';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const user = await requireApiUser(req, 'RESEARCHER');
  return { jobs: await listExportJobs(user) };
});

export const POST = route(async (req) => {
  const user = await requireApiUser(req, 'RESEARCHER');
  const input = await readJson(req, ExportJobInput);
  const job = await createExportJob({ userId: user.id, ...input });
  return Response.json({ job }, { status: 202 });
});
