// Failed sign-ins are throttled per account (5 / 10 min) and per IP (20 / 10 min) in the
// RateLimit table; while throttled even the right password is refused with a clear 429.
import { describe, expect, it } from 'vitest';
import { accountKey, ipKey } from './sign-in-limits';
import { headersFrom, postSignIn, uniqueEmail } from './test-helpers';
import { auth } from './server';
import { baseUrl } from '../env';
import { createUser } from '../data/users/create-user';
import { SIGN_IN_LIMITS, reserveLimit, peekLimit } from '../data/rate-limit';
import { prisma } from '../db';

const PASSWORD = 'correct horse battery';

describe('sign-in rate limits', () => {
  it('locks an account after 5 failures from any IPs, with "try again in N minutes"', async () => {
    const u = await createUser({ name: 'A', email: uniqueEmail('acct'), password: PASSWORD, role: 'LABELER' }, { id: null });
    for (let i = 0; i < SIGN_IN_LIMITS.account.max; i++) {
      const res = await postSignIn(u.email, `wrong-password-${i}`, `192.0.2.${10 + i}`);
      expect(res.status).toBe(401);
    }
    const locked = await postSignIn(u.email, PASSWORD, '192.0.2.99');
    expect(locked.status).toBe(429);
    const body = await locked.json();
    expect(body.code).toBe('TOO_MANY_SIGN_IN_ATTEMPTS');
    expect(body.message).toBe('Too many sign-in attempts; try again in 10 minutes.');
    expect(await prisma.session.count({ where: { userId: u.id } })).toBe(0);

    const row = await prisma.rateLimit.findUniqueOrThrow({ where: { key: accountKey(u.email) } });
    expect(row.count).toBe(SIGN_IN_LIMITS.account.max);
  });

  it('counts the account by its normalised email', async () => {
    const u = await createUser({ name: 'C', email: uniqueEmail('case'), password: PASSWORD, role: 'LABELER' }, { id: null });
    await postSignIn(u.email.toUpperCase(), 'wrong-password', '192.0.2.150');
    expect((await peekLimit(accountKey(u.email), SIGN_IN_LIMITS.account)).count).toBe(1);
  });

  it('a successful sign-in clears the account counter', async () => {
    const u = await createUser({ name: 'B', email: uniqueEmail('reset'), password: PASSWORD, role: 'LABELER' }, { id: null });
    for (let i = 0; i < 3; i++) await postSignIn(u.email, 'wrong-password', '192.0.2.50');
    expect((await peekLimit(accountKey(u.email), SIGN_IN_LIMITS.account)).count).toBe(3);
    expect((await postSignIn(u.email, PASSWORD, '192.0.2.50')).status).toBe(200);
    expect((await peekLimit(accountKey(u.email), SIGN_IN_LIMITS.account)).count).toBe(0);
  });

  it('blocks an IP after 20 failures across many accounts, but not other IPs', async () => {
    const ip = '192.0.2.200';
    for (let i = 0; i < SIGN_IN_LIMITS.ip.max; i++) {
      const res = await postSignIn(uniqueEmail(`spray${i}`), 'wrong-password', ip);
      expect(res.status).toBe(401);
    }
    const u = await createUser({ name: 'V', email: uniqueEmail('victim'), password: PASSWORD, role: 'LABELER' }, { id: null });
    const blocked = await postSignIn(u.email, PASSWORD, ip);
    expect(blocked.status).toBe(429);
    expect((await blocked.json()).message).toMatch(/^Too many sign-in attempts; try again in \d+ minutes?\.$/);
    expect((await postSignIn(u.email, PASSWORD, '192.0.2.201')).status).toBe(200);
    expect((await peekLimit(ipKey(ip), SIGN_IN_LIMITS.ip)).blocked).toBe(true);
  });

  it('uses a fixed window: counts restart once the window has passed', async () => {
    const key = `test:${uniqueEmail('window')}`;
    const w = { max: 2, windowMs: 1000 };
    const t0 = 1_000_000;
    expect((await reserveLimit(key, w, t0)).count).toBe(1);
    const second = await reserveLimit(key, w, t0 + 500);
    expect(second).toMatchObject({ count: 2, blocked: true, resetAt: t0 + 1000 });
    expect((await peekLimit(key, w, t0 + 999)).blocked).toBe(true);
    expect((await peekLimit(key, w, t0 + 1000)).count).toBe(0);
    expect(await reserveLimit(key, w, t0 + 1001)).toMatchObject({ count: 1, blocked: false, resetAt: t0 + 2001 });
  });

  it('never loses a count under concurrency', async () => {
    const key = `test:${uniqueEmail('conc')}`;
    const w = { max: 100, windowMs: 60_000 };
    await Promise.all(Array.from({ length: 25 }, () => reserveLimit(key, w)));
    expect((await peekLimit(key, w)).count).toBe(25);
  });
});

describe('sign-in limits hold under parallel and spoofed attempts', () => {
  it('evaluates at most 5 of 30 parallel wrong passwords; the rest get 429', async () => {
    const u = await createUser({ name: 'P', email: uniqueEmail('parallel'), password: PASSWORD, role: 'LABELER' }, { id: null });
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => postSignIn(u.email, `wrong-${i}`, `192.0.2.${100 + (i % 8)}`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401).length).toBe(SIGN_IN_LIMITS.account.max);
    expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true);
    expect((await peekLimit(accountKey(u.email), SIGN_IN_LIMITS.account)).count).toBe(SIGN_IN_LIMITS.account.max);
  });

  it('gives back the slot of an attempt that was not a wrong password', async () => {
    const u = await createUser({ name: 'G', email: uniqueEmail('giveback'), password: PASSWORD, role: 'LABELER' }, { id: null });
    const ip = '192.0.2.240';
    expect((await postSignIn(u.email, 'wrong-password', ip)).status).toBe(401);
    expect((await postSignIn(u.email, PASSWORD, ip)).status).toBe(200);
    expect((await peekLimit(accountKey(u.email), SIGN_IN_LIMITS.account)).count).toBe(0);
    expect((await peekLimit(ipKey(ip), SIGN_IN_LIMITS.ip)).count).toBe(1);
  });

  it('a client-sent X-Forwarded-For does not give a blocked socket a fresh IP counter', async () => {
    const ip = '192.0.2.230';
    for (let i = 0; i < SIGN_IN_LIMITS.ip.max; i++) expect((await postSignIn(uniqueEmail(`xff${i}`), 'wrong-password', ip)).status).toBe(401);
    const u = await createUser({ name: 'Xff victim', email: uniqueEmail('xff'), password: PASSWORD, role: 'LABELER' }, { id: null });
    const spoofed = await auth.handler(
      new Request(`${baseUrl()}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: headersFrom(ip, { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.77', 'x-hone-client-ip': '203.0.113.78' }),
        body: JSON.stringify({ email: u.email, password: PASSWORD }),
      }),
    );
    expect(spoofed.status).toBe(429);
  });
});

describe('sign-in counters and better-auth', () => {
  it('survive better-auth handling requests (its own limiter never prunes our rows)', async () => {
    const u = await createUser({ name: 'S', email: uniqueEmail('survive'), password: PASSWORD, role: 'LABELER' }, { id: null });
    const key = accountKey(u.email);
    const fiveMinutesAgo = Date.now() - 5 * 60_000;
    await reserveLimit(key, SIGN_IN_LIMITS.account, fiveMinutesAgo);
    await reserveLimit(key, SIGN_IN_LIMITS.account, fiveMinutesAgo);
    for (let i = 0; i < 3; i++) await postSignIn(uniqueEmail('other'), 'wrong-password', `192.0.2.${160 + i}`);
    expect((await peekLimit(key, SIGN_IN_LIMITS.account)).count).toBe(2);
  });
});
