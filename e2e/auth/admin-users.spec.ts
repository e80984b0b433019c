// Admins create accounts in the UI (who can then sign in), deactivate them (who then cannot),
// and bad input gets clear messages without leaving rows behind.
import { test, expect, signIn, uniqueEmail, gotoReady } from '../fixtures';
import { e2eDb } from './db';

const db = e2eDb();
test.afterAll(async () => db.$disconnect());

test('an admin creates a labeler who then signs in', async ({ adminPage: page, browser }) => {
  const email = uniqueEmail('newlab');
  const password = 'fresh-labeler-pw-1';
  await gotoReady(page, '/admin/users');
  const form = page.getByRole('form', { name: 'Create a user' });
  await form.getByLabel('Name').fill('Nia New');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByLabel('Role').selectOption('LABELER');
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(form.getByRole('status')).toHaveText(`Created ${email} (LABELER). They can sign in now.`);
  const row = page.getByRole('row', { name: new RegExp(email) });
  await expect(row).toContainText('LABELER');
  await expect(row).toContainText('Active');
  // The page fits 1280×800 without horizontal scrolling.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);

  const user = await db.user.findUniqueOrThrow({ where: { email }, include: { accounts: true } });
  expect(user).toMatchObject({ name: 'Nia New', role: 'LABELER', active: true });
  expect(user.accounts).toHaveLength(1);
  expect(user.accounts[0].password).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
  expect(await db.auditLog.count({ where: { action: 'user.create', targetId: user.id } })).toBe(1);

  const ctx = await browser.newContext();
  const labelerPage = await ctx.newPage();
  await signIn(labelerPage, { email, password });
  await expect(labelerPage).toHaveURL(/\/label$/);
  await expect(labelerPage.getByRole('navigation', { name: 'Main' })).toContainText('Nia New');
  await ctx.close();
});

test('bad input is refused with clear messages and no rows', async ({ adminPage: page }) => {
  await gotoReady(page, '/admin/users');
  const form = page.getByRole('form', { name: 'Create a user' });
  const before = await db.user.count();

  await form.getByLabel('Name').fill('Bad Input');
  await form.getByLabel('Email').fill('not-an-email');
  await form.getByLabel('Password').fill('short');
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(form.getByText('"not-an-email" is not a valid email address')).toBeVisible();
  await expect(form.getByText('The password must be at least 10 characters')).toBeVisible();

  await form.getByLabel('Email').fill('admin@e2e.test');
  await form.getByLabel('Password').fill('long-enough-password');
  await form.getByRole('button', { name: 'Create user' }).click();
  // The message sits under the email field, which is marked; the button points at it.
  await expect(form.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Email')).toHaveAccessibleDescription('An account with this email already exists.');
  await expect(form.getByRole('alert')).toHaveText('Fix the field marked above, then try again.');
  expect(await db.user.count()).toBe(before);

  // The JSON API: 400/409 with an error body.
  const bad = [
    [{ name: 'X', email: 'nope', password: 'long-enough-password', role: 'LABELER' }, 400, '"nope" is not a valid email address'],
    [{ name: 'X', email: uniqueEmail('x'), password: 'short', role: 'LABELER' }, 400, 'The password must be at least 10 characters'],
    [{ name: 'X', email: uniqueEmail('x'), password: 'long-enough-password', role: 'OWNER' }, 400, 'Unknown role "OWNER"'],
    [{ name: 'X', email: 'ADMIN@e2e.test', password: 'long-enough-password', role: 'LABELER' }, 409, 'An account with this email already exists.'],
  ] as const;
  for (const [data, status, message] of bad) {
    const res = await page.request.post('/api/admin/users', { data });
    expect(res.status()).toBe(status);
    const body = await res.json();
    expect(body.error.code).toBe(status === 409 ? 'CONFLICT' : 'INVALID_INPUT');
    expect(body.error.message).toContain(message);
  }
  expect(await db.user.count()).toBe(before);
});

test('a deactivated user cannot sign in, and is signed out at once', async ({ adminPage: page, browser }) => {
  const email = uniqueEmail('leaver');
  const password = 'leaver-password-1';
  const created = await page.request.post('/api/admin/users', { data: { name: 'Lee Leaver', email, password, role: 'RESEARCHER' } });
  expect(created.status()).toBe(201);

  const ctx = await browser.newContext();
  const theirPage = await ctx.newPage();
  await signIn(theirPage, { email, password });
  await expect(theirPage).toHaveURL(/\/research$/);

  await gotoReady(page, '/admin/users');
  const row = page.getByRole('row', { name: new RegExp(email) });
  await row.getByRole('button', { name: 'Deactivate' }).click();
  await row.getByRole('button', { name: 'Confirm deactivation' }).click();
  await expect(row.getByRole('status')).toHaveText(`${email} was deactivated and signed out.`);
  await expect(row).toContainText('Deactivated');

  const user = await db.user.findUniqueOrThrow({ where: { email } });
  expect(user.active).toBe(false);
  expect(user.deactivatedAt).not.toBeNull();
  expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  expect(await db.auditLog.count({ where: { action: 'user.deactivate', targetId: user.id } })).toBe(1);

  // Their open session no longer works…
  await gotoReady(theirPage, '/account/tokens');
  await expect(theirPage).toHaveURL(/\/sign-in\?next=%2Faccount%2Ftokens$/);
  // …and they cannot sign in again.
  await theirPage.getByLabel('Email').fill(email);
  await theirPage.getByLabel('Password').fill(password);
  await theirPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(theirPage.getByRole('main').getByRole('alert')).toHaveText('This account has been deactivated. Ask an admin to reactivate it.');
  await ctx.close();
});

test('an admin cannot demote themselves when they are the only admin', async ({ adminPage: page }) => {
  const admins = await db.user.count({ where: { role: 'ADMIN', active: true } });
  test.skip(admins !== 1, 'another spec left a second admin');
  await gotoReady(page, '/admin/users');
  const row = page.getByRole('row', { name: /admin@e2e\.test/ });
  await row.getByLabel('Role for admin@e2e.test').selectOption('LABELER');
  await row.getByRole('button', { name: 'Change role' }).click();
  await row.getByRole('button', { name: 'Confirm role change' }).click();
  await expect(row.getByRole('alert')).toContainText('You are the only active admin');
  expect((await db.user.findUniqueOrThrow({ where: { email: 'admin@e2e.test' } })).role).toBe('ADMIN');
});
