// Session tokens are stored as sha256 hashes: the row never holds the cookie's token, yet
// better-auth's whole session life works through the wrapper — sign-in, get-session, the
// sliding refresh (which rewrites the cookie), listing and revoking sessions, sign-out.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auth } from './server';
import { hashSessionToken } from './hashed-session-tokens';
import { userFromSessionHeaders } from './session-user';
import { cookieHeader, postSignIn, uniqueEmail } from './test-helpers';
import { createUser } from '../data/users/create-user';
import { prisma } from '../db';
import { baseUrl } from '../env';

const PASSWORD = 'correct horse battery';

async function signIn(tag: string) {
  const u = await createUser({ name: `Hashed ${tag}`, email: uniqueEmail(tag), password: PASSWORD, role: 'RESEARCHER' }, { id: null });
  const res = await postSignIn(u.email, PASSWORD, '198.51.100.90');
  expect(res.status).toBe(200);
  const cookie = cookieHeader(res);
  const token = decodeURIComponent(/session_token=([^;]+)/.exec(cookie)![1]).split('.')[0];
  return { u, cookie, token };
}

const authCall = (path: string, cookie: string, body?: unknown) =>
  auth.handler(
    new Request(`${baseUrl()}/api/auth${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie, origin: baseUrl(), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );

describe('hashed session tokens', () => {
  it('stores only the hash of the cookie token, and the cookie still signs in', async () => {
    const { u, cookie, token } = await signIn('hashed-row');
    const row = await prisma.session.findFirstOrThrow({ where: { userId: u.id } });
    expect(row.token).not.toBe(token);
    expect(row.token).toBe(hashSessionToken(token));
    expect(row.token).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await userFromSessionHeaders(new Headers({ cookie }))).toMatchObject({ id: u.id });
    const session = (await (await authCall('/get-session', cookie)).json()) as { session: { token: string } };
    expect(session.session.token).toBe(token);
  });

  it('a row copied out of the database is not a session', async () => {
    const { u, cookie } = await signIn('hashed-leak');
    const row = await prisma.session.findFirstOrThrow({ where: { userId: u.id } });
    const forged = cookie.replace(/session_token=[^.;]+/, `session_token=${encodeURIComponent(row.token)}`);
    expect(await userFromSessionHeaders(new Headers({ cookie: forged }))).toBeNull();
  });

  it('refreshes, lists, revokes other sessions and signs out through the wrapper', async () => {
    const a = await signIn('hashed-life');
    const second = await postSignIn(a.u.email, PASSWORD, '198.51.100.91');
    const otherCookie = cookieHeader(second);
    expect(await prisma.session.count({ where: { userId: a.u.id } })).toBe(2);

    // due for the sliding refresh: better-auth rewrites the row and the cookie
    await prisma.session.updateMany({ where: { token: hashSessionToken(a.token) }, data: { expiresAt: new Date(Date.now() + 5 * 86_400_000) } });
    const refreshed = await authCall('/get-session', a.cookie);
    expect(refreshed.status).toBe(200);
    expect(cookieHeader(refreshed)).toContain(`session_token=${a.token}.`);
    const row = await prisma.session.findFirstOrThrow({ where: { token: hashSessionToken(a.token) } });
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    const listed = (await (await authCall('/list-sessions', a.cookie)).json()) as { token: string }[];
    expect(listed).toHaveLength(2);

    expect((await authCall('/revoke-other-sessions', a.cookie, {})).status).toBe(200);
    expect(await userFromSessionHeaders(new Headers({ cookie: otherCookie }))).toBeNull();
    expect(await userFromSessionHeaders(new Headers({ cookie: a.cookie }))).toMatchObject({ id: a.u.id });

    expect((await authCall('/sign-out', a.cookie, {})).status).toBe(200);
    expect(await prisma.session.count({ where: { userId: a.u.id } })).toBe(0);
  });

  it('the migration hashes sessions stored in plaintext before, once', async () => {
    const u = await createUser({ name: 'Hashed legacy', email: uniqueEmail('legacy'), password: PASSWORD, role: 'LABELER' }, { id: null });
    const raw = `legacy${Date.now()}abcdefghijklmnop`;
    await prisma.session.create({ data: { id: `legacy-${raw}`, token: raw, userId: u.id, expiresAt: new Date(Date.now() + 86_400_000) } });
    const sql = readFileSync('prisma/migrations/20261203130000_hash_session_tokens/migration.sql', 'utf8');
    await prisma.$executeRawUnsafe(sql);
    await prisma.$executeRawUnsafe(sql);
    expect((await prisma.session.findUniqueOrThrow({ where: { id: `legacy-${raw}` } })).token).toBe(hashSessionToken(raw));
  });
});
