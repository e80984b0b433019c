// lib/data/migrate.ts on scratch databases: Prisma's bookkeeping, idempotence, and a failing
// migration that leaves nothing behind.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureDatabase, migrate, MIGRATIONS_DIR } from '../../lib/data/migrate';

const base = new URL(process.env.DATABASE_URL!);
const made: string[] = [];
function scratchUrl(tag: string) {
  const u = new URL(base);
  u.pathname = `/${base.pathname.slice(1)}_${tag}`;
  made.push(u.pathname.slice(1));
  return u.toString();
}
async function q<T extends pg.QueryResultRow>(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}
afterAll(async () => {
  const admin = new URL(base);
  admin.pathname = '/postgres';
  for (const db of made) await q(admin.toString(), `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
});

describe('migrate', () => {
  it('creates the database, records each migration like prisma migrate deploy, and is idempotent', async () => {
    const url = scratchUrl('fresh');
    expect(await ensureDatabase(url)).toBe(true);
    expect(await ensureDatabase(url)).toBe(false);
    const first = await migrate(url);
    expect(first.applied.length).toBeGreaterThan(0);
    const rows = await q<{ migration_name: string; checksum: string; finished_at: Date; applied_steps_count: number }>(
      url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
    for (const r of rows) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.applied_steps_count).toBe(1);
    }
    const second = await migrate(url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);
  });

  it('rolls a failing migration back whole and records nothing for it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hone-mig-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await mkdir(path.join(dir, '29991231000000_broken'));
    await writeFile(
      path.join(dir, '29991231000000_broken', 'migration.sql'),
      'CREATE TABLE "Half" (id TEXT);\nALTER TABLE "NoSuchTable" ADD COLUMN x INT;\n',
    );
    const url = scratchUrl('broken');
    await ensureDatabase(url);
    await expect(migrate(url, { dir })).rejects.toThrow(/29991231000000_broken failed and was rolled back: .*NoSuchTable/);
    const half = await q(url, `SELECT 1 FROM information_schema.tables WHERE table_name = 'Half'`);
    expect(half).toEqual([]);
    const rec = await q(url, `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29991231000000_broken'`);
    expect(rec).toEqual([]);
  });

  it('refuses a migration edited after it was applied', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hone-mig-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const url = scratchUrl('edited');
    await ensureDatabase(url);
    const { applied } = await migrate(url, { dir });
    await writeFile(path.join(dir, applied[0], 'migration.sql'), '-- changed\nSELECT 1;\n');
    await expect(migrate(url, { dir })).rejects.toThrow(new RegExp(`Migration ${applied[0]} was changed after it was applied`));
  });
});
