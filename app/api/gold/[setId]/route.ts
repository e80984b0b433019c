// PUT /api/gold/:setId {tiers} — mark a set's true order; DELETE — unmark it (ADMIN).
import { readNoInput, route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { GoldInput } from '@/lib/data/exports/inputs';
import { setGold } from '@/lib/data/gold/set-gold';

export const dynamic = 'force-dynamic';

export const PUT = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'ADMIN');
  const { setId } = await params;
  const { tiers } = await readJson(req, GoldInput);
  return { gold: await setGold({ setId, tiers, actorId: user.id }) };
});

export const DELETE = route(async (req, { params }) => {
  const user = await requireApiUser(req, 'ADMIN');
  await readNoInput(req);
  const { setId } = await params;
  return { gold: await setGold({ setId, tiers: null, actorId: user.id }) };
});
