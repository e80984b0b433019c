// POST {projectId, start?, preset?, stages?, settings?} (the launch's body): the pre-flight check
// of that launch on the project's data as it is now (ADMIN) → {preflight}: per stage the items it
// would use, skip (per reason, with links) and shorten, and settings beyond the model.
import { route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { preflightRound } from '@/lib/data/rounds/preflight';
import { LaunchRoundInput } from '@/lib/data/rounds/settings';

export const POST = route(async (req) => {
  await requireApiUser(req, 'ADMIN');
  const input = await readJson(req, LaunchRoundInput);
  return { preflight: await preflightRound(input) };
});
