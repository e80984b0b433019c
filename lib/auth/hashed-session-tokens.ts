// Session tokens are stored hashed: the Session row holds "sha256:<hex>" of the token in the
// cookie, so a copy of the database (a backup, a read-only leak) holds no usable session.
//
// better-auth 1.7 has no option for this (its internal adapter writes and looks up
// Session.token verbatim), so this wraps the database adapter it is given: for the session model,
// a token written or used in a `where` is hashed on the way in, and a row coming back with the
// hash of a token the caller named gets that token back, so better-auth (cookie writing, session
// refresh, get-session) sees exactly what it would without the wrapper. A value that is already
// a hash passes through unchanged: it can only come from better-auth's own session lists (for
// revoke-session), never from a cookie, since cookies are signed with BETTER_AUTH_SECRET.
//
// One endpoint cannot work through the wrapper: /revoke-other-sessions compares the caller's
// token with the listed rows' tokens, which are hashes, and would end the caller's session too.
// The plugin below answers it itself, keeping the caller's row.
import { createHash } from 'node:crypto';
import type { BetterAuthPlugin, DBAdapter, DBAdapterInstance, Where } from 'better-auth';
import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api';

const PREFIX = 'sha256:';

/** What Session.token holds for a session whose cookie carries `token`. */
export function hashSessionToken(token: string): string {
  if (token.startsWith(PREFIX)) return token;
  return PREFIX + createHash('sha256').update(token, 'utf8').digest('hex');
}

type Args = { model?: string; where?: Where[]; data?: Record<string, unknown>; update?: Record<string, unknown>; set?: Record<string, unknown> };

function hashField(values: Record<string, unknown> | undefined, seen: Map<string, string>): Record<string, unknown> | undefined {
  if (!values || typeof values.token !== 'string') return values;
  const hashed = hashSessionToken(values.token);
  seen.set(hashed, values.token);
  return { ...values, token: hashed };
}

function hashWhere(where: Where[] | undefined, seen: Map<string, string>): Where[] | undefined {
  return where?.map((w) => {
    if (w.field !== 'token') return w;
    const one = (v: unknown) => {
      if (typeof v !== 'string') return v;
      const hashed = hashSessionToken(v);
      seen.set(hashed, v);
      return hashed;
    };
    return { ...w, value: (Array.isArray(w.value) ? w.value.map(one) : one(w.value)) as Where['value'] };
  });
}

function restoreTokens(result: unknown, seen: Map<string, string>): unknown {
  if (Array.isArray(result)) return result.map((r) => restoreTokens(r, seen));
  if (!result || typeof result !== 'object') return result;
  const row = result as Record<string, unknown>;
  if (typeof row.token !== 'string' || !seen.has(row.token)) return result;
  return { ...row, token: seen.get(row.token) };
}

function wrap<A extends object>(adapter: A): A {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'transaction') {
        return <R>(callback: (trx: object) => Promise<R>) => (value as (cb: (trx: object) => Promise<R>) => Promise<R>).call(target, (trx) => callback(wrap(trx)));
      }
      return async (args: Args, ...rest: unknown[]) => {
        if (!args || typeof args !== 'object' || args.model !== 'session') return (value as (...a: unknown[]) => unknown).call(target, args, ...rest);
        const seen = new Map<string, string>();
        const hashed: Args = { ...args, where: hashWhere(args.where, seen), data: hashField(args.data, seen), update: hashField(args.update, seen), set: hashField(args.set, seen) };
        for (const key of ['where', 'data', 'update', 'set'] as const) if (args[key] === undefined) delete hashed[key];
        return restoreTokens(await (value as (...a: unknown[]) => Promise<unknown>).call(target, hashed, ...rest), seen);
      };
    },
  });
}

/** Wraps a better-auth database adapter (e.g. prismaAdapter(...)) so session tokens are stored hashed. */
export function hashSessionTokens(adapter: DBAdapterInstance): DBAdapterInstance {
  return (options) => wrap<DBAdapter>(adapter(options));
}

/** /revoke-other-sessions for hashed tokens: ends every session of the caller but the caller's. */
export const revokeOtherHashedSessions = () =>
  ({
    id: 'hone-revoke-other-hashed-sessions',
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === '/revoke-other-sessions',
          handler: createAuthMiddleware(async (ctx) => {
            const session = await getSessionFromCtx(ctx, { disableRefresh: true });
            if (!session) throw new APIError('UNAUTHORIZED', { message: 'Sign in to end your other sessions.' });
            const own = hashSessionToken(session.session.token);
            await ctx.context.adapter.deleteMany({ model: 'session', where: [{ field: 'userId', value: session.user.id }, { field: 'token', operator: 'ne', value: own }] });
            return ctx.json({ status: true });
          }),
        },
      ],
    },
  }) satisfies BetterAuthPlugin;
