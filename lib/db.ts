// The Prisma client (Rust-free, through node-postgres). Imported only by lib/data and lib/auth.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { env } from './env';

const globalForPrisma = globalThis as unknown as { honePrisma?: PrismaClient };

export function createPrisma(url: string = env().DATABASE_URL, max = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max }) });
}

// One client per process; Next's dev server reloads modules, so keep it on globalThis.
export const prisma: PrismaClient = globalForPrisma.honePrisma ?? createPrisma();
if (env().NODE_ENV !== 'production') globalForPrisma.honePrisma = prisma;

export type { PrismaClient } from './generated/prisma/client';
export { Prisma } from './generated/prisma/client';
