// What callers see of an account (never password hashes or sessions).
import type { Role } from '../../auth/roles';

export type UserDto = {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  createdAt: string;
  deactivatedAt: string | null;
};

export const userSelect = {
  id: true,
  name: true,
  email: true,
  role: true,
  active: true,
  createdAt: true,
  deactivatedAt: true,
} as const;

type Row = { id: string; name: string; email: string; role: Role; active: boolean; createdAt: Date; deactivatedAt: Date | null };

export function toUserDto(r: Row): UserDto {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    role: r.role,
    active: r.active,
    createdAt: r.createdAt.toISOString(),
    deactivatedAt: r.deactivatedAt?.toISOString() ?? null,
  };
}
