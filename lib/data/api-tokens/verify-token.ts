// Resolves `Authorization: Bearer <secret>` to its user, or says clearly why not.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { hashSecret, looksLikeSecret } from './secret';

export type TokenUser = { id: string; email: string; name: string; role: 'LABELER' | 'ADMIN' | 'RESEARCHER' };

/** lastUsedAt is written at most once a minute per token, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export async function verifyApiToken(secret: string, now = new Date()): Promise<TokenUser> {
  if (!looksLikeSecret(secret)) throw new AppError('UNAUTHENTICATED', 'This is not a Hone API token (they start with "hone_").');
  const token = await prisma.apiToken.findUnique({
    where: { tokenHash: hashSecret(secret) },
    select: {
      id: true,
      revokedAt: true,
      expiresAt: true,
      lastUsedAt: true,
      user: { select: { id: true, email: true, name: true, role: true, active: true } },
    },
  });
  if (!token) throw new AppError('UNAUTHENTICATED', 'This API token is not valid.');
  if (token.revokedAt) throw new AppError('UNAUTHENTICATED', 'This API token was revoked.');
  if (token.expiresAt && token.expiresAt <= now) throw new AppError('UNAUTHENTICATED', 'This API token has expired.');
  if (!token.user.active) throw new AppError('UNAUTHENTICATED', 'The account holding this API token has been deactivated.');
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await prisma.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  const { id, email, name, role } = token.user;
  return { id, email, name, role };
}
