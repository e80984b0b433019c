// GET /api/exports/:format?projectId=…[&from&to&roundId&split&labeler&minAgreement&minGoldAgreement&minGoldAccuracy&gzip=1]
// or ?snapshotId=… — streams JSONL (RESEARCHER; session cookie or Bearer token). Bad input is
// a JSON error before any byte; see docs/researchers.md (Streaming an export).
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { filterFromSearchParams } from '@/lib/data/exports/filter';
import { gzipParam } from '@/lib/data/exports/inputs';
import { openExport, toWebStream } from '@/lib/data/exports/stream-export';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, { params }) => {
  await requireApiUser(req, 'RESEARCHER');
  const { format } = await params;
  const sp = new URL(req.url).searchParams;
  const filter = filterFromSearchParams(sp, ['gzip']);
  const out = await openExport({ format, filter, gzip: gzipParam(sp) });
  return new Response(toWebStream(out.chunks), {
    headers: {
      'content-type': out.contentType,
      'content-disposition': `attachment; filename="${out.filename}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-hone-format': out.format.id,
      'x-hone-fields': out.format.fields.join(','),
    },
  });
});
