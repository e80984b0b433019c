// GET /api/arena/:id/export — the evaluation's votes as Chatbot Arena battles, one JSON line per
// vote (ADMIN, RESEARCHER; session cookie or Bearer token). See docs/researchers.md.
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { openBattleExport } from '@/lib/data/arena/export-battles';
import { toWebStream } from '@/lib/data/exports/stream-export';

export const dynamic = 'force-dynamic';

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  await requireApiUser(req, 'ADMIN', 'RESEARCHER');
  const { id } = await params;
  const out = await openBattleExport(id);
  return new Response(toWebStream(out.lines), {
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="${out.filename}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-hone-rows': String(out.votes),
    },
  });
});
