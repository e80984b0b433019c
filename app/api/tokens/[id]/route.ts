// DELETE: revoke one of the caller's tokens.
import { readNoInput, route } from '@/lib/http';
import { authenticate } from '@/lib/auth/api';
import { revokeApiToken } from '@/lib/data/api-tokens/revoke-token';

export const DELETE = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const user = await authenticate(req);
  await readNoInput(req);
  const { id } = await params;
  return { token: await revokeApiToken(user.id, id) };
});
