// Streaming reads straight from Postgres in constant memory: a server-side cursor
// (DECLARE … NO SCROLL CURSOR inside a read-only REPEATABLE READ transaction, so every batch
// sees one consistent snapshot of the data) fetched a batch at a time. Bulk exports use
// node-postgres directly instead of Prisma: Prisma materialises whole result sets.
import pg from 'pg';
import { env } from '../../env';

const globalPools = globalThis as unknown as { honeExportPools?: Map<string, pg.Pool> };
const pools = (globalPools.honeExportPools ??= new Map());

/** One small pool per database URL and process, for exports and quality scans. */
export function exportPool(url: string = env().DATABASE_URL): pg.Pool {
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 2_000 });
    pool.on('error', () => {}); // an idle client dropped by the server; the pool replaces it
    pools.set(url, pool);
  }
  return pool;
}

/**
 * Checks a client out of `pool` for a transaction. pg emits 'error' on a checked-out client
 * whose connection drops (a Postgres restart, 57P01); with no listener that event kills the
 * process, while the query in flight rejects anyway and the caller's retry handles it. The
 * listener goes when the client is released (destroyed if it was dropped).
 */
export async function checkOutClient(pool: pg.Pool): Promise<{ client: pg.PoolClient; release: (destroy?: boolean) => void }> {
  const client = await pool.connect();
  let dropped = false;
  const onError = () => {
    dropped = true;
  };
  client.on('error', onError);
  return {
    client,
    release: (destroy) => {
      client.off('error', onError);
      client.release(destroy || dropped || undefined);
    },
  };
}

export async function closeExportPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.end()));
}

export type Sql = { text: string; values: unknown[] };

export type CursorOptions = {
  batch?: number;
  pool?: pg.Pool;
  /** Read inside this client's open transaction (sees its uncommitted rows) instead of a new one. */
  client?: pg.PoolClient | pg.Client;
};

let cursorSeq = 0;

async function* inTransaction<T>(client: pg.PoolClient | pg.Client, sql: Sql, batch: number): AsyncGenerator<T[]> {
  const name = `hone_cursor_${++cursorSeq}`;
  await client.query({ text: `DECLARE ${name} NO SCROLL CURSOR FOR ${sql.text}`, values: sql.values });
  // Keep one FETCH in flight while the consumer works on the previous batch, so Postgres
  // produces rows while this process serialises them.
  const fetch = () => {
    const p = client.query<T & pg.QueryResultRow>(`FETCH FORWARD ${batch} FROM ${name}`);
    p.catch(() => {}); // handled where it is awaited; never an unhandled rejection meanwhile
    return p;
  };
  let next: ReturnType<typeof fetch> | null = fetch();
  try {
    while (next) {
      const res: pg.QueryResult<T & pg.QueryResultRow> = await next;
      next = res.rows.length === batch ? fetch() : null;
      if (res.rows.length) yield res.rows;
    }
  } finally {
    if (next) await next.catch(() => {});
    await client.query(`CLOSE ${name}`).catch(() => {});
  }
}

/**
 * Yields the rows of `sql` in batches of at most `batch`. Breaking out of the loop (or the
 * consumer going away) closes the cursor and returns the connection.
 */
export async function* cursorBatches<T>(sql: Sql, opts: CursorOptions = {}): AsyncGenerator<T[]> {
  const batch = opts.batch ?? 2000;
  if (opts.client) {
    yield* inTransaction<T>(opts.client, sql, batch);
    return;
  }
  const { client, release } = await checkOutClient(opts.pool ?? exportPool());
  let committed = false;
  let unusable = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // A cursor is read in full: plan for all rows, and skip JIT (its compile time buys
    // nothing on per-row subqueries and delays the first batch).
    await client.query('SET LOCAL cursor_tuple_fraction = 1.0; SET LOCAL jit = off');
    yield* inTransaction<T>(client, sql, batch);
    await client.query('COMMIT');
    committed = true;
  } finally {
    // The consumer stopped early or a query failed: roll back, which also closes the cursor.
    if (!committed) await client.query('ROLLBACK').catch(() => (unusable = true));
    release(unusable);
  }
}

/** Row-at-a-time view of cursorBatches. */
export async function* cursorRows<T>(sql: Sql, opts: CursorOptions = {}): AsyncGenerator<T> {
  for await (const rows of cursorBatches<T>(sql, opts)) yield* rows;
}

/** A one-off query on the export pool. */
export async function query<T extends pg.QueryResultRow>(sql: Sql, pool?: pg.Pool): Promise<T[]> {
  return (await (pool ?? exportPool()).query<T>(sql.text, sql.values)).rows;
}

/** Collects positional parameters while SQL is built: `p.add(v)` returns "$n". */
export class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}
