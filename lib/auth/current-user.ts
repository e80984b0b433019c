// The signed-in user for server components, server actions and pages (reads next/headers).
import { cache } from 'react';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { describeRoles, hasRole, type CurrentUser, type Role } from './roles';
import { userFromSessionHeaders } from './session-user';

export type { CurrentUser, Role } from './roles';

/** Set on every request by proxy.ts so pages can send people back where they were. */
export const PATH_HEADER = 'x-hone-path';

/** The signed-in user, or null. Cached for the duration of one request. */
export const getCurrentUser: () => Promise<CurrentUser | null> = cache(async () => {
  return userFromSessionHeaders(await headers());
});

/**
 * For pages: the signed-in user holding one of `roles` (ADMIN holds them all; no roles = any
 * signed-in user). Signed out → redirect to /sign-in?next=<this page>; wrong role → the
 * /forbidden page, which says which role is needed.
 */
export async function requirePageUser(...roles: Role[]): Promise<CurrentUser> {
  const user = await getCurrentUser();
  const path = safePath((await headers()).get(PATH_HEADER));
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(path)}`);
  if (!hasRole(user.role, roles)) {
    redirect(`/forbidden?need=${encodeURIComponent(roles.join(','))}&from=${encodeURIComponent(path)}`);
  }
  return user;
}

/** A same-site path (never a full URL or `//host`), for redirects after sign-in. */
export function safePath(p: string | null | undefined, fallback = '/'): string {
  if (!p || !p.startsWith('/') || p.startsWith('//') || p.startsWith('/\\')) return fallback;
  return p;
}

export { describeRoles };
