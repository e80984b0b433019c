// Creates an account (user row + better-auth credential account row) in one transaction, with
// the password hashed by better-auth's own hasher, and an audit row. Public sign-up is off, so
// this is the only way accounts come to be.
import { prisma, Prisma } from '../../db';
import { auth } from '../../auth/server';
import { AppError } from '../errors';
import { createUserInput, type CreateUserInput } from './schemas';
import { toUserDto, userSelect, type UserDto } from './types';
import { recordAudit } from '../audit/record-audit';

export const DUPLICATE_EMAIL = 'An account with this email already exists.';

export async function createUser(input: CreateUserInput, actor: { id: string | null; ip?: string | null }): Promise<UserDto> {
  const data = createUserInput.parse(input);
  const ctx = await auth.$context;
  const hash = await ctx.password.hash(data.password);
  const userId = ctx.generateId({ model: 'user' }) || crypto.randomUUID();
  const accountId = ctx.generateId({ model: 'account' }) || crypto.randomUUID();
  try {
    const row = await prisma.$transaction(async (tx) => {
      const exists = await tx.user.findUnique({ where: { email: data.email }, select: { id: true } });
      if (exists) throw new AppError('CONFLICT', DUPLICATE_EMAIL, { field: 'email' });
      const user = await tx.user.create({
        data: { id: userId, name: data.name, email: data.email, role: data.role, emailVerified: true },
        select: userSelect,
      });
      // The row better-auth's own sign-up writes for email + password.
      await tx.account.create({ data: { id: accountId, userId, accountId: userId, providerId: 'credential', password: hash } });
      await recordAudit(tx, { actorId: actor.id, action: 'user.create', targetType: 'User', targetId: userId, data: { email: data.email, role: data.role }, ip: actor.ip });
      return user;
    });
    return toUserDto(row);
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
      throw new AppError('CONFLICT', DUPLICATE_EMAIL, { field: 'email' });
    }
    throw e;
  }
}
