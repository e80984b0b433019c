// The last active admin can be neither demoted nor deactivated, even by two admins demoting
// each other at the same moment. This file counts every admin in the database, so it runs on a
// database of its own (other test files create admins concurrently in the shared one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { ensureDatabase, migrate } from '../migrate';

const shared = new URL(process.env.DATABASE_URL!);
const own = new URL(shared);
own.pathname = `${shared.pathname}_last_admin`;

let mod: {
  createUser: typeof import('./create-user').createUser;
  updateUser: typeof import('./update-user').updateUser;
  prisma: typeof import('../../db').prisma;
};

beforeAll(async () => {
  await ensureDatabase(own.toString());
  await migrate(own.toString());
  process.env.DATABASE_URL = own.toString(); // read by lib/env on first use, below
  const [{ createUser }, { updateUser }, { prisma }] = await Promise.all([import('./create-user'), import('./update-user'), import('../../db')]);
  mod = { createUser, updateUser, prisma };
});

afterAll(async () => {
  await mod?.prisma.$disconnect();
  const admin = new pg.Client({ connectionString: shared.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${own.pathname.slice(1)}" WITH (FORCE)`);
  await admin.end();
});

const PASSWORD = 'correct horse battery';

describe('the last active admin', () => {
  it('cannot demote or deactivate themselves while no other admin is active', async () => {
    const { createUser, updateUser, prisma } = mod;
    const keeper = await createUser({ name: 'Keeper', email: 'keeper@last.admin', password: PASSWORD, role: 'ADMIN' }, { id: null });
    await expect(updateUser(keeper.id, { role: 'LABELER' }, { id: keeper.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('You are the only active admin'),
    });
    await expect(updateUser(keeper.id, { active: false }, { id: keeper.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: keeper.id } })).toMatchObject({ role: 'ADMIN', active: true });

    // An inactive admin does not count.
    const dormant = await createUser({ name: 'Dormant', email: 'dormant@last.admin', password: PASSWORD, role: 'ADMIN' }, { id: keeper.id });
    await updateUser(dormant.id, { active: false }, { id: keeper.id });
    await expect(updateUser(keeper.id, { role: 'RESEARCHER' }, { id: keeper.id })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('lets exactly one of two admins demoting each other at once succeed', async () => {
    const { createUser, updateUser, prisma } = mod;
    const [a] = await prisma.user.findMany({ where: { role: 'ADMIN', active: true } });
    const b = await createUser({ name: 'Second', email: 'second@last.admin', password: PASSWORD, role: 'ADMIN' }, { id: a.id });
    const results = await Promise.allSettled([
      updateUser(a.id, { role: 'LABELER' }, { id: b.id }),
      updateUser(b.id, { role: 'LABELER' }, { id: a.id }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await prisma.user.count({ where: { role: 'ADMIN', active: true } })).toBe(1);
  });
});
