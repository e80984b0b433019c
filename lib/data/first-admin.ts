// The first admin account: from HONE_ADMIN_EMAIL / HONE_ADMIN_PASSWORD when given, otherwise
// admin@hone.local with a random password that the caller prints once.
import { randomBytes } from 'node:crypto';
import { prisma } from '../db';
import { createUser } from './users/create-user';
import { emailSchema, passwordSchema } from './users/schemas';

export type FirstAdminResult = { created: boolean; email: string; password?: string /* only when generated */ };

export const DEFAULT_ADMIN_EMAIL = 'admin@hone.local';

export async function ensureFirstAdmin(opts: { email?: string; password?: string }): Promise<FirstAdminResult> {
  const email = emailSchema.parse(opts.email ?? DEFAULT_ADMIN_EMAIL);
  const existing = await prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) return { created: false, email };

  const generated = opts.password ? undefined : randomBytes(18).toString('base64url'); // 24 chars, 144 bits
  const password = passwordSchema.parse(opts.password ?? generated);
  await createUser({ name: 'Admin', email, password, role: 'ADMIN' }, { id: null });
  return generated ? { created: true, email, password: generated } : { created: true, email };
}
