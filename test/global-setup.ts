// Each test run gets its own Postgres database and its own Redis key prefix, made here and
// removed after the run, so runs never see each other's rows or jobs.
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { Redis } from 'ioredis';
import { ensureDatabase, migrate } from '../lib/data/migrate';

const runId = `${Date.now().toString(36)}_${process.pid}`;
const base = process.env.HONE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function setup(project: TestProject) {
  const url = new URL(base);
  url.pathname = `/hone_test_${runId}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const prefix = `hone_test_${runId}`;
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisPrefix', prefix);
  project.provide('redisUrl', redisUrl);
  process.env.DATABASE_URL = databaseUrl;
  process.env.HONE_REDIS_PREFIX = prefix;
  process.env.REDIS_URL = redisUrl;

  return async () => {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "hone_test_${runId}" WITH (FORCE)`);
    await admin.end();
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisPrefix: string;
    redisUrl: string;
  }
}
