// GET: the caller's API tokens. POST {name, expiresInDays?}: a new token; the secret is in this
// response only (201 {token, secret}).
import { route, readJson } from '@/lib/http';
import { authenticate } from '@/lib/auth/api';
import { createApiToken, createTokenInput } from '@/lib/data/api-tokens/create-token';
import { listApiTokens } from '@/lib/data/api-tokens/list-tokens';

export const GET = route(async (req) => {
  const user = await authenticate(req);
  return { tokens: await listApiTokens(user.id) };
});

export const POST = route(async (req) => {
  const user = await authenticate(req);
  const input = await readJson(req, createTokenInput);
  const { token, secret } = await createApiToken(user.id, input);
  return Response.json({ token, secret }, { status: 201, headers: { 'cache-control': 'no-store' } });
});
