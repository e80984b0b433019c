// GET /api/snapshots?projectId=… — a project's snapshots. POST {filter, kind?} — freeze and
// hash a selection; 201 with id, sha256, rowCount and manifest (RESEARCHER).
import { route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { AppError } from '@/lib/data/errors';
import { SnapshotInput } from '@/lib/data/exports/inputs';
import { createSnapshot } from '@/lib/data/snapshots/create-snapshot';
import { listSnapshots } from '@/lib/data/snapshots/list-snapshots';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  await requireApiUser(req, 'RESEARCHER');
  const projectId = new URL(req.url).searchParams.get('projectId');
  if (!projectId) throw new AppError('INVALID_INPUT', 'projectId: is required.');
  return { snapshots: await listSnapshots(projectId) };
});

export const POST = route(async (req) => {
  const user = await requireApiUser(req, 'RESEARCHER');
  const input = await readJson(req, SnapshotInput);
  const snapshot = await createSnapshot({ filter: input.filter, kind: input.kind, userId: user.id });
  return Response.json({ snapshot }, { status: 201 });
});
