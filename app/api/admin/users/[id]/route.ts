// PATCH {role?, active?}: change an account's role or deactivate/reactivate it.
import { route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { clientIp } from '@/lib/auth/ip';
import { updateUser } from '@/lib/data/users/update-user';
import { updateUserInput } from '@/lib/data/users/schemas';

export const PATCH = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const admin = await requireApiUser(req, 'ADMIN');
  const { id } = await params;
  const input = await readJson(req, updateUserInput);
  return { user: await updateUser(id, input, { id: admin.id, ip: clientIp(req.headers) }) };
});
