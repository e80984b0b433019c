// GET: every account. POST {name, email, password, role}: create an account (201 {user}).
import { route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { clientIp } from '@/lib/auth/ip';
import { listUsers } from '@/lib/data/users/list-users';
import { createUser } from '@/lib/data/users/create-user';
import { createUserInput } from '@/lib/data/users/schemas';

export const GET = route(async (req) => {
  await requireApiUser(req, 'ADMIN');
  return { users: await listUsers() };
});

export const POST = route(async (req) => {
  const admin = await requireApiUser(req, 'ADMIN');
  const input = await readJson(req, createUserInput);
  const user = await createUser(input, { id: admin.id, ip: clientIp(req.headers) });
  return Response.json({ user }, { status: 201 });
});
