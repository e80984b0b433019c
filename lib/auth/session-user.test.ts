// The session fast path (one SQL query) agrees with better-auth's getSession: a live session
// resolves without calling getSession; a revoked session, an expired one and a deactivated user
// are refused at once; a session due for its sliding refresh goes through better-auth.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { auth } from './server';
import { userFromSessionHeaders } from './session-user';
import { cookieHeader, postSignIn, uniqueEmail } from './test-helpers';
import { createUser } from '../data/users/create-user';
import { prisma } from '../db';

const PASSWORD = 'correct horse battery';

async function signedIn(tag: string) {
  const u = await createUser({ name: tag, email: uniqueEmail(tag), password: PASSWORD, role: 'LABELER' }, { id: null });
  const res = await postSignIn(u.email, PASSWORD, '198.51.100.77');
  expect(res.status).toBe(200);
  return { u, headers: new Headers({ cookie: cookieHeader(res) }) };
}

describe('userFromSessionHeaders fast path', () => {
  afterEach(() => vi.restoreAllMocks());

  it('resolves a live session with one query, without better-auth', async () => {
    const { u, headers } = await signedIn('fast');
    const spy = vi.spyOn(auth.api, 'getSession');
    expect(await userFromSessionHeaders(headers)).toEqual({ id: u.id, email: u.email, name: 'fast', role: 'LABELER' });
    expect(spy).not.toHaveBeenCalled();
  });

  it('refuses a revoked session, a deactivated user and an expired session at once', async () => {
    const a = await signedIn('revoked');
    await prisma.session.deleteMany({ where: { userId: a.u.id } });
    expect(await userFromSessionHeaders(a.headers)).toBeNull();

    const b = await signedIn('inactive');
    expect(await userFromSessionHeaders(b.headers)).not.toBeNull();
    await prisma.user.update({ where: { id: b.u.id }, data: { active: false } });
    expect(await userFromSessionHeaders(b.headers)).toBeNull();

    const c = await signedIn('expired');
    await prisma.session.updateMany({ where: { userId: c.u.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await userFromSessionHeaders(c.headers)).toBeNull();
  });

  it('refuses a tampered cookie and leaves a refresh-due session to better-auth', async () => {
    const { u, headers } = await signedIn('refresh');
    const tampered = headers.get('cookie')!.replace(/session_token=([^.;]+)/, 'session_token=$1x');
    expect(await userFromSessionHeaders(new Headers({ cookie: tampered }))).toBeNull();
    // older than updateAge (1 day) within a 7-day expiry: better-auth slides the expiry
    await prisma.session.updateMany({ where: { userId: u.id }, data: { expiresAt: new Date(Date.now() + 5 * 86_400_000) } });
    const spy = vi.spyOn(auth.api, 'getSession');
    expect(await userFromSessionHeaders(headers)).not.toBeNull();
    expect(spy).toHaveBeenCalledTimes(1);
    const s = await prisma.session.findFirst({ where: { userId: u.id } });
    expect(s!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
  });
});
