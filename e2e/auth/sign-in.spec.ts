// Signing in and out as the e2e admin; wrong passwords and repeated failures get clear messages.
import { test, expect, signIn, createUserViaApi, uniqueEmail, E2E_ADMIN, gotoReady } from '../fixtures';

test('the admin signs in, sees the admin navigation, and signs out', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
  await signIn(page, E2E_ADMIN);
  await expect(page).toHaveURL(/\/admin\/projects$/);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const link of ['Label', 'Projects', 'Users', 'Rounds', 'Research', 'Tokens']) {
    await expect(nav.getByRole('link', { name: link, exact: true })).toBeVisible();
  }
  await nav.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);

  // Signed out, an admin page sends you to sign in and then back to it.
  await gotoReady(page, '/admin/users');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fadmin%2Fusers$/);
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill(E2E_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
});

test('a wrong password gets "Wrong email or password."', async ({ page }) => {
  await gotoReady(page, '/sign-in');
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill('not-the-admin-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('Wrong email or password.');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByLabel('Email')).toHaveValue(E2E_ADMIN.email);

  await page.getByLabel('Email').fill('nobody@e2e.test');
  await page.getByLabel('Password').fill('whatever-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Same message as before: wait for this attempt's answer (the form counts them).
  await expect(page.getByRole('form', { name: 'Sign in' })).toHaveAttribute('data-attempt', '2');
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('Wrong email or password.');
});

test('an empty field is marked and described before anything is sent, and clears when filled', async ({ page }) => {
  await gotoReady(page, '/sign-in');
  const form = page.getByRole('form', { name: 'Sign in' });
  const email = page.getByLabel('Email');
  const password = page.getByLabel('Password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAccessibleDescription('Enter your email address.');
  await expect(email).toBeFocused();
  await expect(password).toHaveAccessibleDescription('Enter your password.');
  await expect(form).toHaveAttribute('data-attempt', '0'); // nothing was sent
  await email.fill(E2E_ADMIN.email);
  await expect(email).not.toHaveAttribute('aria-invalid');
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  for (const [label, size] of [
    ['desktop', { width: 1440, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `test-results/sign-in-errors-${label}.png` });
  }
});

test('after 5 failures an account is locked for 10 minutes, even with the right password', async ({ page, request }) => {
  const user = { email: uniqueEmail('locked'), password: 'labeler-password-1', name: 'Locked Out', role: 'LABELER' as const };
  await createUserViaApi(request, user);
  await gotoReady(page, '/sign-in');
  const form = page.getByRole('form', { name: 'Sign in' });
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(`wrong-password-${i}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(form).toHaveAttribute('data-attempt', String(i + 1));
    await expect(page.getByRole('main').getByRole('alert')).toHaveText('Wrong email or password.');
  }
  // The email stays filled in after a failed attempt; the password does not.
  await expect(page.getByLabel('Email')).toHaveValue(user.email);
  await expect(page.getByLabel('Password')).toHaveValue('');
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(form).toHaveAttribute('data-attempt', '6');
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(/^Too many sign-in attempts; try again in (10|9) minutes\.$/);
  await expect(page).toHaveURL(/\/sign-in$/);
});
