// The first admin: from the given email/password, or generated with a strong random password
// returned once; running again changes nothing.
import { describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from './first-admin';
import { prisma } from '../db';
import { postSignIn, uniqueEmail } from '../auth/test-helpers';

describe('ensureFirstAdmin', () => {
  it('creates the admin from the given email and password, once', async () => {
    const email = uniqueEmail('given');
    expect(await ensureFirstAdmin({ email, password: 'given-password-123' })).toEqual({ created: true, email });
    expect(await prisma.user.findUniqueOrThrow({ where: { email } })).toMatchObject({ role: 'ADMIN', active: true });
    expect((await postSignIn(email, 'given-password-123', '198.18.0.1')).status).toBe(200);
    expect(await ensureFirstAdmin({ email, password: 'given-password-123' })).toEqual({ created: false, email });
    expect(await prisma.user.count({ where: { email } })).toBe(1);
  });

  it('generates admin@hone.local with a random password returned once', async () => {
    const r = await ensureFirstAdmin({});
    expect(r.created).toBe(true);
    expect(r.email).toBe('admin@hone.local');
    expect(r.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await postSignIn(r.email, r.password!, '198.18.0.2')).status).toBe(200);
    expect(await ensureFirstAdmin({})).toEqual({ created: false, email: 'admin@hone.local' });
  });

  it('refuses a short admin password', async () => {
    await expect(ensureFirstAdmin({ email: uniqueEmail('short'), password: 'short' })).rejects.toThrow(/at least 10 characters/);
  });
});
