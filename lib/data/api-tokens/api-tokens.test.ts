// API tokens: secret shown once, only its sha256 stored, usable as Bearer until revoked, and
// refused with clear messages when revoked, expired, malformed or its account is deactivated.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createApiToken } from './create-token';
import { listApiTokens } from './list-tokens';
import { revokeApiToken } from './revoke-token';
import { verifyApiToken } from './verify-token';
import { createUser } from '../users/create-user';
import { updateUser } from '../users/update-user';
import { prisma } from '../../db';
import { authenticate, requireApiUser } from '../../auth/api';
import { uniqueEmail } from '../../auth/test-helpers';

const PASSWORD = 'correct horse battery';
const bearer = (secret: string, method = 'GET') =>
  new Request('http://localhost:3000/api/me', { method, headers: { authorization: `Bearer ${secret}` } });

async function researcher() {
  return createUser({ name: 'R', email: uniqueEmail('res'), password: PASSWORD, role: 'RESEARCHER' }, { id: null });
}

describe('API tokens', () => {
  it('stores only the sha256 of a hone_ secret and authenticates with it', async () => {
    const u = await researcher();
    const { token, secret } = await createApiToken(u.id, { name: 'laptop' });
    expect(secret).toMatch(/^hone_[A-Za-z0-9_-]{43}$/);
    expect(token.prefix).toBe(secret.slice(0, 13));
    const row = await prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.tokenHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(secret.slice(5));
    expect(JSON.stringify(await listApiTokens(u.id))).not.toContain(secret.slice(13));

    expect(await authenticate(bearer(secret))).toEqual({ id: u.id, email: u.email, name: 'R', role: 'RESEARCHER' });
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt).not.toBeNull();
    expect(await prisma.auditLog.count({ where: { targetId: token.id, action: 'token.create' } })).toBe(1);
  });

  it('refuses a revoked token with "This API token was revoked"', async () => {
    const u = await researcher();
    const { token, secret } = await createApiToken(u.id, { name: 'ci' });
    const revoked = await revokeApiToken(u.id, token.id);
    expect(revoked.revokedAt).not.toBeNull();
    await expect(authenticate(bearer(secret))).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: 'This API token was revoked.', status: 401 });
    // Revoking again is harmless; another user's token is not found.
    await expect(revokeApiToken(u.id, token.id)).resolves.toMatchObject({ id: token.id });
    const other = await researcher();
    await expect(revokeApiToken(other.id, token.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses unknown, malformed and expired tokens, and tokens of deactivated accounts', async () => {
    await expect(verifyApiToken('hone_' + 'A'.repeat(43))).rejects.toMatchObject({ message: 'This API token is not valid.' });
    await expect(verifyApiToken('abc')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(authenticate(new Request('http://x/api/me', { headers: { authorization: 'Basic abc' } }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });

    const u = await researcher();
    const { token, secret } = await createApiToken(u.id, { name: 'short-lived', expiresInDays: 1 });
    await expect(verifyApiToken(secret, new Date(Date.now() + 2 * 86_400_000))).rejects.toMatchObject({ message: 'This API token has expired.' });
    expect(token.expiresAt).not.toBeNull();

    const admin = await createUser({ name: 'A', email: uniqueEmail('a'), password: PASSWORD, role: 'ADMIN' }, { id: null });
    await updateUser(u.id, { active: false }, { id: admin.id });
    await expect(verifyApiToken(secret)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('deactivated') });
  });

  it('requireApiUser: FORBIDDEN names the role; ADMIN satisfies any role', async () => {
    const r = await researcher();
    const { secret } = await createApiToken(r.id, { name: 't' });
    await expect(requireApiUser(bearer(secret), 'ADMIN')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'You need the ADMIN role for this (you are RESEARCHER).',
    });
    await expect(requireApiUser(bearer(secret), 'LABELER', 'ADMIN')).rejects.toMatchObject({ message: expect.stringContaining('the LABELER or ADMIN role') });
    await expect(requireApiUser(bearer(secret), 'RESEARCHER')).resolves.toMatchObject({ id: r.id });

    const a = await createUser({ name: 'A', email: uniqueEmail('a2'), password: PASSWORD, role: 'ADMIN' }, { id: null });
    const { secret: adminSecret } = await createApiToken(a.id, { name: 't' });
    await expect(requireApiUser(bearer(adminSecret), 'LABELER')).resolves.toMatchObject({ role: 'ADMIN' });
    await expect(requireApiUser(bearer(adminSecret), 'RESEARCHER')).resolves.toMatchObject({ role: 'ADMIN' });
  });

  it('without a token or session: UNAUTHENTICATED, and cross-site cookie writes are refused', async () => {
    await expect(authenticate(new Request('http://localhost:3000/api/me'))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('Sign in or send an API token'),
    });
    const forged = new Request('http://localhost:3000/api/tokens', {
      method: 'POST',
      headers: { origin: 'https://evil.example', host: 'localhost:3000', cookie: 'x=y' },
    });
    await expect(authenticate(forged)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
