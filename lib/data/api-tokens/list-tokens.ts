// A user's API tokens, newest first (revoked ones included, marked as such).
import { prisma } from '../../db';
import { toTokenDto, tokenSelect, type ApiTokenDto } from './types';

export async function listApiTokens(userId: string): Promise<ApiTokenDto[]> {
  const rows = await prisma.apiToken.findMany({ where: { userId }, orderBy: { createdAt: 'desc' }, select: tokenSelect });
  return rows.map(toTokenDto);
}
