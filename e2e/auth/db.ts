// The e2e app's database (scripts/e2e-server.ts names it after the port), for checking rows.
import { createPrisma } from '../../lib/db';

export function e2eDb() {
  const base = new URL(process.env.HONE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/hone_e2e_${process.env.E2E_PORT ?? '3100'}`;
  return createPrisma(base.toString(), 2);
}
