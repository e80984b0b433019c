// Sign-in and sign-out for server actions: better-auth's API with the request's headers (for the
// client IP and the cookie), cookies written through the nextCookies plugin. Errors come back as
// sentences for the sign-in form.
import { headers } from 'next/headers';
import { isAPIError } from 'better-auth/api';
import { auth, ACCOUNT_DEACTIVATED, DEACTIVATED_MESSAGE } from './server';
import { TOO_MANY_ATTEMPTS } from './sign-in-limits';
import { ROLES, type Role } from './roles';

export const WRONG_CREDENTIALS = 'Wrong email or password.';

export type SignInResult = { ok: true; role: Role } | { ok: false; message: string };

export async function signInWithPassword(email: string, password: string): Promise<SignInResult> {
  if (!email.trim() || !password) return { ok: false, message: 'Enter your email and password.' };
  try {
    const res = await auth.api.signInEmail({ body: { email: email.trim(), password }, headers: await headers() });
    const role = (res.user as { role?: unknown }).role;
    return { ok: true, role: ROLES.includes(role as Role) ? (role as Role) : 'LABELER' };
  } catch (e) {
    if (!isAPIError(e)) throw e;
    const code = (e.body as { code?: string } | undefined)?.code;
    if (code === TOO_MANY_ATTEMPTS) return { ok: false, message: e.message };
    if (code === ACCOUNT_DEACTIVATED) return { ok: false, message: DEACTIVATED_MESSAGE };
    if (code === 'INVALID_EMAIL_OR_PASSWORD' || code === 'INVALID_EMAIL' || e.statusCode === 401) return { ok: false, message: WRONG_CREDENTIALS };
    if (e.statusCode === 429) return { ok: false, message: 'Too many sign-in attempts; try again in a minute.' };
    return { ok: false, message: e.message || 'Sign-in failed.' };
  }
}

export async function signOutCurrent(): Promise<void> {
  try {
    await auth.api.signOut({ headers: await headers() });
  } catch (e) {
    if (!isAPIError(e)) throw e; // already signed out
  }
}
