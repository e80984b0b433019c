// GET /api/projects/:id/data?tab=prompts|sets|tasks|submissions&q=&split=&status=&kind=&gold=&labeler=&round=&page=&pageSize=
// — one page of a project's data, filtered (RESEARCHER or ADMIN). docs/researchers.md describes it.
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { browseData } from '@/lib/data/browse/browse-data';
import { parseBrowseQuery } from '@/lib/data/browse/filters';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, { params }) => {
  await requireApiUser(req, 'RESEARCHER');
  const { id } = await params;
  return browseData(id, parseBrowseQuery(new URL(req.url).searchParams));
});
