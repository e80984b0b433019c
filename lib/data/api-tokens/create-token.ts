// Creates an API token for a user. The secret is returned here once and never again.
import { z } from 'zod';
import { prisma } from '../../db';
import { displayPrefix, hashSecret, newSecret } from './secret';
import { toTokenDto, tokenSelect, type ApiTokenDto } from './types';
import { recordAudit } from '../audit/record-audit';

export const createTokenInput = z.strictObject({
  name: z
    .string({ error: 'Give the token a name' })
    .trim()
    .min(1, 'Give the token a name')
    .max(100, 'Token names are at most 100 characters'),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateTokenInput = z.infer<typeof createTokenInput>;

export async function createApiToken(userId: string, input: CreateTokenInput): Promise<{ token: ApiTokenDto; secret: string }> {
  const secret = newSecret();
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        userId,
        name: input.name,
        prefix: displayPrefix(secret),
        tokenHash: hashSecret(secret),
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      },
      select: tokenSelect,
    });
    await recordAudit(tx, { actorId: userId, action: 'token.create', targetType: 'ApiToken', targetId: created.id, data: { name: input.name } });
    return created;
  });
  return { token: toTokenDto(row), secret };
}
