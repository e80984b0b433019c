// Authentication for route handlers: a session cookie or `Authorization: Bearer <api token>`.
// Throws AppError (UNAUTHENTICATED / FORBIDDEN) for lib/http's route() to turn into JSON.
import { AppError } from '../data/errors';
import { verifyApiToken } from '../data/api-tokens/verify-token';
import { describeRoles, hasRole, type CurrentUser, type Role } from './roles';
import { requestedHost } from './ip';
import { userFromSessionHeaders } from './session-user';

export type { CurrentUser, Role } from './roles';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function authenticate(req: Request): Promise<CurrentUser> {
  const authz = req.headers.get('authorization');
  if (authz) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authz);
    if (!m) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <api token>".');
    return verifyApiToken(m[1]);
  }
  if (UNSAFE.has(req.method)) assertSameOrigin(req);
  const user = await userFromSessionHeaders(req.headers);
  if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in or send an API token (Authorization: Bearer hone_…).');
  return user;
}

export async function requireApiUser(req: Request, ...roles: Role[]): Promise<CurrentUser> {
  const user = await authenticate(req);
  if (!hasRole(user.role, roles)) {
    throw new AppError('FORBIDDEN', `You need ${describeRoles(roles)} for this (you are ${user.role}).`);
  }
  return user;
}

/**
 * Cookie-authenticated writes must come from our own pages: browsers send Origin (and
 * Sec-Fetch-Site) on cross-site requests, so a mismatch is a forged request. `Origin: null`
 * (sandboxed frames, some redirects, file: pages) names no page of ours and is refused.
 * Clients that are not browsers (curl, tests) send neither header and are let through. The host
 * compared against is the one lib/auth/ip.ts vouches for: X-Forwarded-Host only from a trusted
 * proxy.
 */
function assertSameOrigin(req: Request): void {
  const site = req.headers.get('sec-fetch-site');
  if (site === 'cross-site') throw new AppError('FORBIDDEN', 'Cross-site requests are not allowed.');
  const origin = req.headers.get('origin');
  if (origin === null) return;
  if (origin === 'null') throw new AppError('FORBIDDEN', 'Requests from an opaque origin (Origin: null) are not allowed; send them from a Hone page.');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError('FORBIDDEN', 'Cross-site requests are not allowed.');
  }
  const host = requestedHost(req.headers);
  if (originHost !== host && originHost !== new URL(req.url).host) {
    throw new AppError('FORBIDDEN', 'Cross-site requests are not allowed.');
  }
}
