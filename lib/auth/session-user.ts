// Turns better-auth's session into our CurrentUser: a session whose user was deactivated (or
// whose role is unknown) counts as no session.
import { auth } from './server';
import { ROLES, type CurrentUser, type Role } from './roles';

type SessionUser = { id: string; email: string; name: string; role?: unknown; active?: unknown };

export async function userFromSessionHeaders(headers: Headers): Promise<CurrentUser | null> {
  const session = await auth.api.getSession({ headers });
  const u = session?.user as SessionUser | undefined;
  if (!u || u.active === false) return null;
  if (!ROLES.includes(u.role as Role)) return null;
  return { id: u.id, email: u.email, name: u.name, role: u.role as Role };
}
