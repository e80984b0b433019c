// Throttles failed email+password sign-ins per account and per IP (a better-auth plugin, so it
// covers both the HTTP endpoint and server-side `auth.api.signInEmail` calls). Only failures
// count; a successful sign-in clears the account's counter. While either counter is full, every
// attempt, right or wrong, gets 429 "Too many sign-in attempts; try again in N minutes".
// Each attempt first reserves a slot on both counters, atomically, and only then is the password
// checked: parallel attempts cannot all slip in under the limit. A wrong password keeps its slot;
// anything else (success, deactivated account, bad input) gives it back.
import { createHash } from 'node:crypto';
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
import { SIGN_IN_LIMITS, clearLimit, minutesUntil, releaseLimit, reserveLimit, type LimitState } from '../data/rate-limit';
import { clientIp } from './ip';

export const TOO_MANY_ATTEMPTS = 'TOO_MANY_SIGN_IN_ATTEMPTS';

// The email's sha256, not the email: any length fits the key's index (a 3,000-character email
// made Postgres refuse the row, a 500), and the table does not list who tried to sign in.
export const accountKey = (email: string) => `sign-in-failures:account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
export const ipKey = (ip: string) => `sign-in-failures:ip:${ip}`;

export function tooManyAttemptsMessage(resetAt: number, now = Date.now()): string {
  const n = minutesUntil(resetAt, now);
  return `Too many sign-in attempts; try again in ${n} minute${n === 1 ? '' : 's'}.`;
}

function refuse(states: LimitState[]): never {
  const resetAt = Math.max(...states.filter((s) => s.blocked).map((s) => s.resetAt));
  throw new APIError('TOO_MANY_REQUESTS', { message: tooManyAttemptsMessage(resetAt), code: TOO_MANY_ATTEMPTS });
}

type HookCtx = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

function keysOf(ctx: HookCtx): string[] {
  const keys: string[] = [];
  const email = (ctx.body as { email?: unknown } | undefined)?.email;
  if (typeof email === 'string' && email.trim()) keys.push(accountKey(email));
  const headers = ctx.request?.headers ?? ctx.headers;
  const ip = headers ? clientIp(headers) : null;
  if (ip) keys.push(ipKey(ip));
  return keys;
}

const windowOf = (key: string) => (key.startsWith('sign-in-failures:ip:') ? SIGN_IN_LIMITS.ip : SIGN_IN_LIMITS.account);

export const signInLimits = () =>
  ({
    id: 'hone-sign-in-limits',
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === '/sign-in/email',
          handler: createAuthMiddleware(async (ctx) => {
            const keys = keysOf(ctx);
            const states = await Promise.all(keys.map((k) => reserveLimit(k, windowOf(k))));
            if (states.every((s) => s.reserved)) return;
            await Promise.all(keys.filter((_, i) => states[i].reserved).map((k) => releaseLimit(k, windowOf(k))));
            refuse(states);
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => ctx.path === '/sign-in/email',
          handler: createAuthMiddleware(async (ctx) => {
            const returned = ctx.context.returned;
            const keys = keysOf(ctx);
            // Wrong email or password (401): the reserved slots stay counted as failures.
            if (isAPIError(returned) && returned.statusCode === 401) return;
            const succeeded = !isAPIError(returned);
            await Promise.all(
              keys.map((k) => (succeeded && k.startsWith('sign-in-failures:account:') ? clearLimit(k) : releaseLimit(k, windowOf(k)))),
            );
          }),
        },
      ],
    },
  }) satisfies BetterAuthPlugin;
