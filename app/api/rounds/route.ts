// GET ?projectId=: training rounds, newest first (ADMIN, RESEARCHER).
// POST {projectId, start?, preset?, stages?, settings?}: launch a round (ADMIN) → 201 {round}.
import { route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { listRounds } from '@/lib/data/rounds/list-rounds';
import { launchRound } from '@/lib/data/rounds/launch-round';
import { LaunchRoundInput } from '@/lib/data/rounds/settings';

export const GET = route(async (req) => {
  await requireApiUser(req, 'ADMIN', 'RESEARCHER');
  const projectId = new URL(req.url).searchParams.get('projectId') ?? undefined;
  return { rounds: await listRounds({ projectId }) };
});

export const POST = route(async (req) => {
  const admin = await requireApiUser(req, 'ADMIN');
  const input = await readJson(req, LaunchRoundInput);
  const round = await launchRound(input, admin.id);
  return Response.json({ round }, { status: 201 });
});
