// Roles and the one rule about them: ADMIN satisfies every role check.
export type Role = 'LABELER' | 'ADMIN' | 'RESEARCHER';
export const ROLES: readonly Role[] = ['LABELER', 'ADMIN', 'RESEARCHER'];

export type CurrentUser = { id: string; email: string; name: string; role: Role };

/** True when `role` may do what any of `allowed` may (no roles listed = any signed-in user). */
export function hasRole(role: Role, allowed: readonly Role[]): boolean {
  return allowed.length === 0 || role === 'ADMIN' || allowed.includes(role);
}

/** "the ADMIN role", "the LABELER or ADMIN role" — for 403 messages. */
export function describeRoles(allowed: readonly Role[]): string {
  const list = [...new Set(allowed)];
  if (list.length === 0) return 'an account';
  const names = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
  return `the ${names} role`;
}

/** The page a signed-in user lands on. */
export function homeFor(role: Role): string {
  if (role === 'ADMIN') return '/admin/projects';
  if (role === 'RESEARCHER') return '/research';
  return '/label';
}
