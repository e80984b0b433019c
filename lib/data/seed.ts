// Seeds an empty database: the first admin (from HONE_ADMIN_EMAIL/PASSWORD, or generated and
// printed once by the caller). Runs at every start; does nothing once any user exists.
import { prisma } from '../db';
import { ensureFirstAdmin, type FirstAdminResult } from './first-admin';

export type SeedResult = { admin: FirstAdminResult | null };

export async function seedIfEmpty(opts: { adminEmail?: string; adminPassword?: string }): Promise<SeedResult> {
  const users = await prisma.user.count();
  if (users > 0) return { admin: null };
  const admin = await ensureFirstAdmin({ email: opts.adminEmail, password: opts.adminPassword });
  return { admin };
}
