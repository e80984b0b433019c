// API tokens: created in the UI and shown once, usable as Bearer, refused once revoked.
import { test, expect, signIn, createUserViaApi, uniqueEmail, waitForHydration } from '../fixtures';
import { e2eDb } from './db';

const db = e2eDb();
test.afterAll(async () => db.$disconnect());

test('a researcher creates a token, uses it with curl-style requests, and revokes it', async ({ page, request, playwright }) => {
  const researcher = { email: uniqueEmail('res'), password: 'researcher-pw-1', name: 'Rae Researcher', role: 'RESEARCHER' as const };
  await createUserViaApi(request, researcher);
  await signIn(page, researcher);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tokens' }).click();
  await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
  await waitForHydration(page);

  await page.getByLabel('Token name').fill('notebook');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secretBox = page.getByTestId('new-token-secret');
  await expect(secretBox).toHaveText(/^hone_[A-Za-z0-9_-]{43}$/);
  const secret = (await secretBox.textContent())!;
  const row = page.getByRole('row', { name: /notebook/ });
  await expect(row).toContainText(secret.slice(0, 13));
  await expect(row).toContainText('Never');

  const stored = await db.apiToken.findFirstOrThrow({ where: { name: 'notebook', user: { email: researcher.email } } });
  expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  expect(JSON.stringify(stored)).not.toContain(secret.slice(13));

  // A client with no cookies at all, like curl.
  const api = await playwright.request.newContext({ baseURL: new URL(page.url()).origin });
  const me = await api.get('/api/me', { headers: { authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).user).toMatchObject({ email: researcher.email, role: 'RESEARCHER' });
  const listed = await api.get('/api/tokens', { headers: { authorization: `Bearer ${secret}` } });
  expect(JSON.stringify(await listed.json())).not.toContain(secret.slice(13));

  // Shown once: after a reload the secret is gone.
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByTestId('new-token-secret')).toHaveCount(0);
  await expect(page.getByRole('row', { name: /notebook/ })).not.toContainText('Never');

  await page.getByRole('row', { name: /notebook/ }).getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('button', { name: 'Confirm revoke' }).click();
  await expect(page.getByRole('row', { name: /notebook/ })).toContainText('Revoked');

  const after = await api.get('/api/me', { headers: { authorization: `Bearer ${secret}` } });
  expect(after.status()).toBe(401);
  expect(await after.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'This API token was revoked.' } });
  await api.dispose();
});
