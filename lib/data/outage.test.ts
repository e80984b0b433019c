// The outage classifier on real errors: a terminated Postgres backend (57P01) through pg and
// through Prisma, a refused connection through pg, Prisma and ioredis, and ioredis giving up
// on a command; and real errors that must stay final.
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createPrisma, prisma } from '../db';
import { AppError } from './errors';
import { isTransientOutage, withDeadline } from './outage';

const CLOSED = 'postgresql://postgres@127.0.0.1:1/nothing_listens_here';

afterAll(async () => {
  await prisma.$disconnect();
});

async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

/** Terminates the server process behind a connection, as a Postgres restart does (57P01). */
async function terminate(pid: number) {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  await admin.end();
}

describe('isTransientOutage on real errors', () => {
  it('pg: a refused connection (ECONNREFUSED)', async () => {
    const client = new pg.Client({ connectionString: CLOSED });
    const e = await caught(() => client.connect());
    expect((e as { code: string }).code).toBe('ECONNREFUSED');
    expect(isTransientOutage(e)).toBe(true);
  });

  it('pg: a backend terminated by the administrator (57P01)', async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    client.on('error', () => {});
    await client.connect();
    const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
    const running = client.query('SELECT pg_sleep(5)').then(
      () => null,
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 200));
    await terminate(rows[0].pid);
    const e = await running;
    expect((e as { code: string }).code).toBe('57P01');
    expect(isTransientOutage(e)).toBe(true);
    await client.end().catch(() => {});
  });

  it('Prisma: an unreachable server, within the 2 s connect timeout', async () => {
    const closed = createPrisma(CLOSED, 1);
    const t0 = performance.now();
    const e = await caught(() => closed.$queryRaw`SELECT 1`);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(isTransientOutage(e)).toBe(true);
    await closed.$disconnect();
  });

  it('Prisma: a query whose backend is terminated mid-way (57P01)', async () => {
    const own = createPrisma(process.env.DATABASE_URL, 1);
    const [{ pid }] = await own.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    // A Prisma query starts only when awaited: start it now, and keep its error.
    const running = own.$queryRaw`SELECT pg_sleep(5)::text AS slept`.then(
      () => null,
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 500));
    await terminate(pid);
    const e = await running;
    expect(String((e as Error)?.message)).toMatch(/57P01/);
    expect(isTransientOutage(e)).toBe(true);
    // The pool replaces the dead connection: the next query works.
    expect(await own.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    await own.$disconnect();
  });

  it('ioredis: a refused connection, with no offline queue and with one retry', async () => {
    const noQueue = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, lazyConnect: false });
    noQueue.on('error', () => {});
    const e1 = await caught(() => noQueue.get('x'));
    expect(isTransientOutage(e1)).toBe(true);
    noQueue.disconnect();
    const oneRetry = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    oneRetry.on('error', () => {});
    const e2 = await caught(() => oneRetry.get('x'));
    expect((e2 as Error).name).toBe('MaxRetriesPerRequestError');
    expect(isTransientOutage(e2)).toBe(true);
    oneRetry.disconnect();
  });

  it('a deadline that passes', async () => {
    const e = await caught(() => withDeadline(new Promise(() => {}), 50, 'a silent server'));
    expect((e as Error).message).toBe('a silent server did not answer within 0.1 s');
    expect(isTransientOutage(e)).toBe(true);
  });

  it('real errors stay final: a unique violation, bad SQL, a missing row, a plain error', async () => {
    const slug = `outage-${Date.now()}`;
    await prisma.project.create({ data: { slug, name: slug } });
    const unique = await caught(() => prisma.project.create({ data: { slug, name: slug } }));
    expect((unique as { code: string }).code).toBe('P2002');
    const syntax = await caught(() => prisma.$queryRawUnsafe('SELEC 1'));
    for (const e of [unique, syntax, new AppError('NOT_FOUND', 'No such round.'), new Error('the checkpoint file is corrupt')]) {
      expect(isTransientOutage(e)).toBe(false);
    }
    expect(isTransientOutage(new AppError('UNAVAILABLE', 'Redis is down.'))).toBe(true);
  });
});
