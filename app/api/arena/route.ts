// GET ?projectId=: arena evaluations, newest first, with counts (ADMIN, RESEARCHER).
// POST {projectId, checkpointIds? | roundId?, name?, prompts?, votesPerBattle?, maxNewTokens?,
// temperature?}: start a blind evaluation of two or more checkpoints (ADMIN) → 201 {evaluation}.
import { route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { clientIp } from '@/lib/auth/ip';
import { StartArenaInput } from '@/lib/shared/arena/start-input';
import { startEvaluation } from '@/lib/data/arena/start-evaluation';
import { listEvaluations } from '@/lib/data/arena/list-evaluations';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  await requireApiUser(req, 'ADMIN', 'RESEARCHER');
  const projectId = new URL(req.url).searchParams.get('projectId') || undefined;
  return { evaluations: await listEvaluations({ projectId }) };
});

export const POST = route(async (req) => {
  const admin = await requireApiUser(req, 'ADMIN');
  const input = await readJson(req, StartArenaInput);
  const evaluation = await startEvaluation(input, admin.id, clientIp(req.headers));
  return Response.json({ evaluation }, { status: 201 });
});
