// Changes an account's role and/or active flag. Deactivating ends the user's sessions at once
// (their API tokens stop working too, while the account is inactive). The last active admin
// can be neither demoted nor deactivated. Each change writes an audit row.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { updateUserInput, type UpdateUserInput } from './schemas';
import { toUserDto, userSelect, type UserDto } from './types';
import { recordAudit } from '../audit/record-audit';

export const LAST_ADMIN_MESSAGE = 'Hone needs at least one active admin: make another user an admin first.';

export async function updateUser(id: string, input: UpdateUserInput, actor: { id: string; ip?: string | null }): Promise<UserDto> {
  const change = updateUserInput.parse(input);
  const row = await prisma.$transaction(async (tx) => {
    // Serialise admin-count checks so two admins demoting each other cannot both succeed.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('hone:user-admin-changes'))`;
    const before = await tx.user.findUnique({ where: { id }, select: userSelect });
    if (!before) throw new AppError('NOT_FOUND', 'No user with this id.');

    const role = change.role ?? before.role;
    const active = change.active ?? before.active;
    const losesAdmin = before.role === 'ADMIN' && before.active && (role !== 'ADMIN' || !active);
    if (losesAdmin) {
      const others = await tx.user.count({ where: { role: 'ADMIN', active: true, id: { not: id } } });
      if (others === 0) {
        const self = id === actor.id ? 'You are the only active admin. ' : 'This is the only active admin. ';
        throw new AppError('CONFLICT', self + LAST_ADMIN_MESSAGE);
      }
    }

    const after = await tx.user.update({
      where: { id },
      data: {
        role,
        active,
        deactivatedAt: active ? null : before.active ? new Date() : before.deactivatedAt,
      },
      select: userSelect,
    });
    if (!active) await tx.session.deleteMany({ where: { userId: id } });

    const audit = (action: string, data: Record<string, string>) => recordAudit(tx, { actorId: actor.id, action, targetType: 'User', targetId: id, data: { email: before.email, ...data }, ip: actor.ip });
    if (role !== before.role) await audit('user.role', { from: before.role, to: role });
    if (active !== before.active) await audit(active ? 'user.reactivate' : 'user.deactivate', { email: before.email });
    return after;
  });
  return toUserDto(row);
}
