// The Prisma client (Rust-free, through node-postgres). Imported only by lib/data and lib/auth.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { env } from './env';

const globalForPrisma = globalThis as unknown as { honePrisma?: PrismaClient };

// While Postgres is down or restarting a new connection gives up after 2 s, so a request
// answers 503 (lib/data/outage.ts) instead of hanging.
export const CONNECT_TIMEOUT_MS = 2000;

export function createPrisma(url: string = env().DATABASE_URL, max = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS }) });
}

// One client per process; Next's dev server reloads modules, so keep it on globalThis.
export const prisma: PrismaClient = globalForPrisma.honePrisma ?? createPrisma();
if (env().NODE_ENV !== 'production') globalForPrisma.honePrisma = prisma;

export type { PrismaClient } from './generated/prisma/client';
export { Prisma } from './generated/prisma/client';
