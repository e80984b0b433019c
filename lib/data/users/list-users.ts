// Every account, active first, then by name.
import { prisma } from '../../db';
import { toUserDto, userSelect, type UserDto } from './types';

export async function listUsers(): Promise<UserDto[]> {
  const rows = await prisma.user.findMany({ select: userSelect, orderBy: [{ active: 'desc' }, { name: 'asc' }, { email: 'asc' }] });
  return rows.map(toUserDto);
}
