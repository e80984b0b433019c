// GET /api/admin/audit?actor=&action=&projectId=&cursor=&limit= — the audit log, newest first
// (ADMIN). `action` is an action ("round.launch") or a family ("round"); `nextCursor` fetches
// the next, older page. docs/operators.md describes it.
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { listAudit } from '@/lib/data/audit/list-audit';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  await requireApiUser(req, 'ADMIN');
  return listAudit(Object.fromEntries(new URL(req.url).searchParams));
});
