// Revokes one of the caller's tokens. Revoking twice is harmless; someone else's token is
// NOT_FOUND (we do not say it exists).
import { prisma } from '../../db';
import { AppError } from '../errors';
import { toTokenDto, tokenSelect, type ApiTokenDto } from './types';
import { recordAudit } from '../audit/record-audit';

export async function revokeApiToken(userId: string, tokenId: string): Promise<ApiTokenDto> {
  return prisma.$transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({ where: { id: tokenId, userId }, select: tokenSelect });
    if (!token) throw new AppError('NOT_FOUND', 'No API token with this id.');
    if (token.revokedAt) return toTokenDto(token);
    const row = await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() }, select: tokenSelect });
    await recordAudit(tx, { actorId: userId, action: 'token.revoke', targetType: 'ApiToken', targetId: tokenId, data: { name: token.name } });
    return toTokenDto(row);
  });
}
