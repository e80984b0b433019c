// Account management: bad input is refused with clear messages and leaves no rows behind;
// role changes and deactivation are audited; the last active admin cannot lock everyone out.
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { createUser, DUPLICATE_EMAIL } from './create-user';
import { updateUser } from './update-user';
import { listUsers } from './list-users';
import { createUserInput, updateUserInput } from './schemas';
import { AppError } from '../errors';
import { prisma } from '../../db';
import { uniqueEmail } from '../../auth/test-helpers';

const PASSWORD = 'correct horse battery';

function messages(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ZodError) return e.issues.map((i) => i.message);
    throw e;
  }
  return [];
}

describe('createUser', () => {
  it('creates the user, its credential account and an audit row', async () => {
    const actor = await createUser({ name: 'Boss', email: uniqueEmail('boss'), password: PASSWORD, role: 'ADMIN' }, { id: null });
    const email = uniqueEmail('New.Person').toUpperCase();
    const u = await createUser({ name: '  New Person ', email, password: PASSWORD, role: 'RESEARCHER' }, { id: actor.id, ip: '10.0.0.1' });
    expect(u).toMatchObject({ name: 'New Person', email: email.toLowerCase(), role: 'RESEARCHER', active: true, deactivatedAt: null });
    expect(Object.keys(u).sort()).toEqual(['active', 'createdAt', 'deactivatedAt', 'email', 'id', 'name', 'role']);
    expect(await prisma.account.count({ where: { userId: u.id, providerId: 'credential' } })).toBe(1);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { targetId: u.id, action: 'user.create' } });
    expect(audit).toMatchObject({ actorId: actor.id, targetType: 'User', ip: '10.0.0.1' });
    expect((await listUsers()).some((x) => x.id === u.id)).toBe(true);
  });

  it('refuses a duplicate email (any case) with CONFLICT and writes nothing', async () => {
    const email = uniqueEmail('dup');
    await createUser({ name: 'First', email, password: PASSWORD, role: 'LABELER' }, { id: null });
    const users = await prisma.user.count();
    const accounts = await prisma.account.count();
    const audits = await prisma.auditLog.count();
    const err = await createUser({ name: 'Second', email: email.toUpperCase(), password: PASSWORD, role: 'LABELER' }, { id: null }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'CONFLICT', message: DUPLICATE_EMAIL, status: 409 });
    expect([await prisma.user.count(), await prisma.account.count(), await prisma.auditLog.count()]).toEqual([users, accounts, audits]);
  });

  it('gives clear messages for an invalid email, a short password and an unknown role', () => {
    expect(messages(() => createUserInput.parse({ name: 'X', email: 'not-an-email', password: PASSWORD, role: 'LABELER' }))).toEqual([
      '"not-an-email" is not a valid email address',
    ]);
    expect(messages(() => createUserInput.parse({ name: 'X', email: 'a@b.co', password: 'short', role: 'LABELER' }))).toEqual([
      'The password must be at least 10 characters',
    ]);
    expect(messages(() => createUserInput.parse({ name: 'X', email: 'a@b.co', password: PASSWORD, role: 'OWNER' }))).toEqual([
      'Unknown role "OWNER": use one of LABELER, ADMIN, RESEARCHER',
    ]);
    expect(messages(() => createUserInput.parse({ name: 'X', email: 'a@b.co', password: PASSWORD }))).toEqual(['Choose a role']);
    expect(messages(() => updateUserInput.parse({}))).toEqual(['Send role and/or active']);
  });

  it('rejects bad input before writing anything', async () => {
    const users = await prisma.user.count();
    await expect(createUser({ name: 'X', email: 'nope', password: PASSWORD, role: 'LABELER' }, { id: null })).rejects.toBeInstanceOf(ZodError);
    expect(await prisma.user.count()).toBe(users);
  });
});

describe('updateUser', () => {
  it('changes roles, deactivates and reactivates, with audit rows', async () => {
    const admin = await createUser({ name: 'Adm', email: uniqueEmail('adm'), password: PASSWORD, role: 'ADMIN' }, { id: null });
    const u = await createUser({ name: 'L', email: uniqueEmail('l'), password: PASSWORD, role: 'LABELER' }, { id: admin.id });
    expect((await updateUser(u.id, { role: 'RESEARCHER' }, { id: admin.id })).role).toBe('RESEARCHER');
    const off = await updateUser(u.id, { active: false }, { id: admin.id });
    expect(off.active).toBe(false);
    expect(off.deactivatedAt).not.toBeNull();
    const on = await updateUser(u.id, { active: true }, { id: admin.id });
    expect(on).toMatchObject({ active: true, deactivatedAt: null });
    const actions = (await prisma.auditLog.findMany({ where: { targetId: u.id }, orderBy: { createdAt: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['user.create', 'user.role', 'user.deactivate', 'user.reactivate']);
  });

  it('is NOT_FOUND for an unknown id', async () => {
    await expect(updateUser('nope', { role: 'ADMIN' }, { id: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
