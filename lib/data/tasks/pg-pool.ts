// A small node-postgres pool for the labeling hot path (session lookup, next task, submit):
// these statements are already hand-written SQL, and sending them through pg directly skips
// Prisma's per-call query compilation, which costs CPU on every request.
//
// Timestamps are stored as UTC `timestamp(3)` (without time zone); this pool reads them as UTC,
// as Prisma does, whatever the process's TZ. Statements run one at a time, with no transaction.
import pg from 'pg';
import type { Prisma } from '../../db';
import { env } from '../../env';

const TIMESTAMP_OID = 1114;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID && format !== 'binary' ? (v: string) => new Date(`${v.replace(' ', 'T')}Z`) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const globalPools = globalThis as unknown as { honeHotPools?: Map<string, pg.Pool> };

export function hotPool(url: string = env().DATABASE_URL): pg.Pool {
  const pools = (globalPools.honeHotPools ??= new Map());
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 8, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 2_000, allowExitOnIdle: true, types });
    pool.on('error', () => {
      /* an idle client lost its connection; the pool replaces it */
    });
    pools.set(url, pool);
  }
  return pool;
}

/** Runs a Prisma.sql template through the pool and returns its rows. */
export async function hotQuery<T>(sql: Prisma.Sql): Promise<T[]> {
  const res = await hotPool().query(sql.text, sql.values as unknown[]);
  return res.rows as T[];
}
