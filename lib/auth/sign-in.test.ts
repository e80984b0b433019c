// Email + password sign-in through better-auth's real handler on a real database: accounts made
// by createUser sign in, wrong passwords and deactivated accounts are refused clearly, sessions
// work with the cookie and stop when the account is deactivated, public sign-up is off.
import { describe, expect, it } from 'vitest';
import { auth, DEACTIVATED_MESSAGE } from './server';
import { userFromSessionHeaders } from './session-user';
import { cookieHeader, postSignIn, uniqueEmail } from './test-helpers';
import { createUser } from '../data/users/create-user';
import { updateUser } from '../data/users/update-user';
import { prisma } from '../db';
import { baseUrl } from '../env';

const PASSWORD = 'correct horse battery';

async function admin() {
  return createUser({ name: 'Admin', email: uniqueEmail('admin'), password: PASSWORD, role: 'ADMIN' }, { id: null });
}

describe('sign-in', () => {
  it('signs in an account created by an admin and resolves the session to a CurrentUser', async () => {
    const u = await createUser({ name: 'Lab One', email: uniqueEmail('lab'), password: PASSWORD, role: 'LABELER' }, { id: null });
    const res = await postSignIn(u.email, PASSWORD, '198.51.100.10');
    expect(res.status).toBe(200);
    const cookie = cookieHeader(res);
    expect(cookie).toMatch(/session_token=/);
    const me = await userFromSessionHeaders(new Headers({ cookie }));
    expect(me).toEqual({ id: u.id, email: u.email, name: 'Lab One', role: 'LABELER' });
    expect(await prisma.session.count({ where: { userId: u.id } })).toBe(1);
  });

  it('stores a memory-hard scrypt hash, never the password', async () => {
    const u = await createUser({ name: 'H', email: uniqueEmail('hash'), password: PASSWORD, role: 'LABELER' }, { id: null });
    const acc = await prisma.account.findFirstOrThrow({ where: { userId: u.id, providerId: 'credential' } });
    expect(acc.password).not.toContain(PASSWORD);
    expect(acc.password).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/); // salt:scrypt(N=16384,r=16,p=1,64 bytes)
  });

  it('refuses a wrong password with 401 INVALID_EMAIL_OR_PASSWORD', async () => {
    const u = await createUser({ name: 'W', email: uniqueEmail('wrong'), password: PASSWORD, role: 'LABELER' }, { id: null });
    const res = await postSignIn(u.email, 'not the password', '198.51.100.11');
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe('INVALID_EMAIL_OR_PASSWORD');
  });

  it('refuses a deactivated account with a clear message and ends its existing sessions', async () => {
    const a = await admin();
    const u = await createUser({ name: 'D', email: uniqueEmail('deact'), password: PASSWORD, role: 'LABELER' }, { id: a.id });
    const first = await postSignIn(u.email, PASSWORD, '198.51.100.12');
    const cookie = cookieHeader(first);
    expect(await userFromSessionHeaders(new Headers({ cookie }))).not.toBeNull();

    await updateUser(u.id, { active: false }, { id: a.id });
    expect(await userFromSessionHeaders(new Headers({ cookie }))).toBeNull();
    expect(await prisma.session.count({ where: { userId: u.id } })).toBe(0);

    const again = await postSignIn(u.email, PASSWORD, '198.51.100.12');
    expect(again.status).toBe(403);
    const body = await again.json();
    expect(body.code).toBe('ACCOUNT_DEACTIVATED');
    expect(body.message).toBe(DEACTIVATED_MESSAGE);
    expect(await prisma.session.count({ where: { userId: u.id } })).toBe(0);

    await updateUser(u.id, { active: true }, { id: a.id });
    expect((await postSignIn(u.email, PASSWORD, '198.51.100.12')).status).toBe(200);
  });

  it('has no public sign-up, and role/active cannot be set through better-auth', async () => {
    const res = await auth.handler(
      new Request(`${baseUrl()}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.13' },
        body: JSON.stringify({ email: uniqueEmail('signup'), password: PASSWORD, name: 'X', role: 'ADMIN' }),
      }),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await prisma.user.count({ where: { name: 'X' } })).toBe(0);

    const u = await createUser({ name: 'U', email: uniqueEmail('upd'), password: PASSWORD, role: 'LABELER' }, { id: null });
    const cookie = cookieHeader(await postSignIn(u.email, PASSWORD, '198.51.100.14'));
    const upd = await auth.handler(
      new Request(`${baseUrl()}/api/auth/update-user`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, origin: baseUrl() },
        body: JSON.stringify({ role: 'ADMIN' }),
      }),
    );
    expect(upd.status).toBeGreaterThanOrEqual(400);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: u.id } })).role).toBe('LABELER');
  });

  it('signs out: the session row is gone', async () => {
    const u = await createUser({ name: 'O', email: uniqueEmail('out'), password: PASSWORD, role: 'RESEARCHER' }, { id: null });
    const cookie = cookieHeader(await postSignIn(u.email, PASSWORD, '198.51.100.15'));
    const res = await auth.handler(
      new Request(`${baseUrl()}/api/auth/sign-out`, { method: 'POST', headers: { cookie, origin: baseUrl(), 'content-type': 'application/json' }, body: '{}' }),
    );
    expect(res.status).toBe(200);
    expect(await userFromSessionHeaders(new Headers({ cookie }))).toBeNull();
  });
});
