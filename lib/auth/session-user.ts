// Turns better-auth's session into our CurrentUser: a session whose user was deactivated (or
// whose role is unknown) counts as no session.
//
// Fast path (every API request): better-call's own signed-cookie check (the same code
// better-auth's getSession runs), then ONE indexed query (Session by its unique token, joined
// with its User) through node-postgres. It answers only the plain case: a live session that is
// not due for better-auth's sliding refresh, with no stale cookie-cache cookie to clear. Anything
// else (no or bad cookie, unknown/expired session, refresh due) goes through
// auth.api.getSession as before, so refreshes, expired-session clean-up and cookie clearing
// behave exactly as they did. Nothing is cached: a revoked session or a deactivated user is
// refused on the very next request.
import { createInternalContext, parseCookies } from 'better-call';
import { hotQuery } from '../data/tasks/pg-pool';
import { Prisma } from '../db';
import { auth } from './server';
import { hashSessionToken } from './hashed-session-tokens';
import { ROLES, type CurrentUser, type Role } from './roles';

type SessionUser = { id: string; email: string; name: string; role?: unknown; active?: unknown };

function toCurrentUser(u: SessionUser | undefined): CurrentUser | null {
  if (!u || u.active === false) return null;
  if (!ROLES.includes(u.role as Role)) return null;
  return { id: u.id, email: u.email, name: u.name, role: u.role as Role };
}

async function viaBetterAuth(headers: Headers): Promise<CurrentUser | null> {
  const session = await auth.api.getSession({ headers });
  return toCurrentUser(session?.user as SessionUser | undefined);
}

type Row = { expiresMs: number; id: string; email: string; name: string; role: string; active: boolean };

// better-call's HMAC check of a cookie value is a pure function of the value and the secret, and
// costs ~0.2 ms CPU through WebCrypto: remember its answers (bounded). This caches the signature
// check only, never the session, so revocation and deactivation still apply on the next request.
const verified = new Map<string, string | false>();
const MAX_VERIFIED = 20_000;

async function sessionToken(headers: Headers, cookies: Map<string, string>, name: string, secret: string): Promise<string | false | null> {
  const raw = cookies.get(name);
  if (!raw) return null;
  const hit = verified.get(raw);
  if (hit !== undefined) return hit;
  const ctx = await createInternalContext({ headers }, { options: { method: 'GET' }, path: '/get-session' });
  const token = await ctx.getSignedCookie(name, secret);
  if (token === null) return null;
  if (verified.size >= MAX_VERIFIED) verified.clear();
  verified.set(raw, token);
  return token;
}

/** The user for a plain live session, null for a deactivated one, undefined = ask better-auth. */
async function fastPath(headers: Headers): Promise<CurrentUser | null | undefined> {
  const cookieHeader = headers.get('cookie');
  if (!cookieHeader) return undefined;
  const ac = await auth.$context;
  const cookies = parseCookies(cookieHeader);
  const dataName = ac.authCookies.sessionData.name;
  for (const name of cookies.keys()) if (name.startsWith(dataName)) return undefined; // getSession clears it
  const token = await sessionToken(headers, cookies, ac.authCookies.sessionToken.name, ac.secret);
  if (!token) return undefined;
  // Session.expiresAt is a UTC timestamp without time zone: its epoch is the UTC instant.
  const rows = await hotQuery<Row>(Prisma.sql`
    SELECT (extract(epoch FROM s."expiresAt") * 1000)::float8 AS "expiresMs", u.id, u.email, u.name, u.role::text AS role, u.active
    FROM "Session" s JOIN "User" u ON u.id = s."userId"
    WHERE s.token = ${hashSessionToken(token)}`);
  const row = rows[0];
  if (!row) return undefined;
  const now = Date.now();
  if (row.expiresMs <= now) return undefined; // expired: better-auth deletes it and clears the cookie
  // better-auth slides the expiry once the session is updateAge old: let it do that.
  const { expiresIn, updateAge } = ac.sessionConfig;
  if (row.expiresMs - expiresIn * 1000 + updateAge * 1000 <= now) return undefined;
  return toCurrentUser(row);
}

export async function userFromSessionHeaders(headers: Headers): Promise<CurrentUser | null> {
  const fast = await fastPath(headers);
  if (fast !== undefined) return fast;
  return viaBetterAuth(headers);
}
