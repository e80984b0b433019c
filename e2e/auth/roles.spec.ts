// A labeler is refused the admin pages and the admin API, with a message naming the role.
import { test, expect, signIn, createUserViaApi, uniqueEmail, gotoReady } from '../fixtures';

test('a labeler is refused the admin pages', async ({ page, request }) => {
  const labeler = { email: uniqueEmail('lab'), password: 'labeler-password-1', name: 'Lena Labeler', role: 'LABELER' as const };
  await createUserViaApi(request, labeler);
  await signIn(page, labeler);
  await expect(page).toHaveURL(/\/label$/);

  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Label', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Tokens', exact: true })).toBeVisible();
  for (const hidden of ['Projects', 'Users', 'Rounds', 'Research']) {
    await expect(nav.getByRole('link', { name: hidden, exact: true })).toHaveCount(0);
  }

  await gotoReady(page, '/admin/users');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You need the ADMIN role');
  await expect(page.getByRole('main').getByRole('alert')).toContainText('who has the LABELER role');
  await expect(page.getByRole('table')).toHaveCount(0);

  const api = await page.request.get('/api/admin/users');
  expect(api.status()).toBe(403);
  expect(await api.json()).toEqual({
    error: { code: 'FORBIDDEN', message: 'You need the ADMIN role for this (you are LABELER).' },
  });
  const patch = await page.request.patch('/api/admin/users/anything', { data: { role: 'ADMIN' } });
  expect(patch.status()).toBe(403);
});

test('signed out, the API answers 401 with a JSON error', async ({ request }) => {
  const res = await request.get('/api/me');
  expect(res.status()).toBe(401);
  expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
});
