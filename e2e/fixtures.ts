// Shared Playwright helpers: sign in through the UI, create accounts through the admin API, and
// a `test` whose `adminPage` is already signed in as the e2e admin.
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import { E2E_ADMIN, E2E_MODELS_DIR } from '../playwright.config';

export { expect, E2E_ADMIN, E2E_MODELS_DIR };

export type Credentials = { email: string; password: string };
export type Role = 'LABELER' | 'ADMIN' | 'RESEARCHER';
export type CreatedUser = { id: string; name: string; email: string; role: Role; active: boolean };

/**
 * Waits until React has hydrated the page (app/layout.tsx sets <html data-hydrated="true">):
 * before that, buttons with client-side handlers do nothing when clicked.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
}

/** page.goto, then wait for hydration. */
export async function gotoReady(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitForHydration(page);
}

/** Signs in through the /sign-in form and waits until the app has navigated away from it. */
export async function signIn(page: Page, { email, password }: Credentials, next?: string): Promise<void> {
  await gotoReady(page, next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in(\?|$)/);
}

/** Signs in with the API (no UI) — the page's browser context gets the session cookie. */
export async function signInViaApi(page: Page, { email, password }: Credentials): Promise<void> {
  const res = await page.request.post('/api/auth/sign-in/email', { data: { email, password } });
  expect(res.ok(), `sign-in as ${email}: ${res.status()} ${await res.text()}`).toBe(true);
}

/**
 * Creates an account by signing in as E2E_ADMIN through the API and POSTing /api/admin/users.
 * Signs out again afterwards, so `request` is left as it was.
 */
export async function createUserViaApi(
  request: APIRequestContext,
  user: { email: string; password: string; name: string; role: Role },
): Promise<CreatedUser> {
  const signedIn = await request.post('/api/auth/sign-in/email', { data: E2E_ADMIN });
  expect(signedIn.ok(), `admin sign-in: ${signedIn.status()} ${await signedIn.text()}`).toBe(true);
  const origin = new URL(signedIn.url()).origin;
  try {
    const res = await request.post('/api/admin/users', { data: user });
    expect(res.status(), `create ${user.email}: ${await res.text()}`).toBe(201);
    return ((await res.json()) as { user: CreatedUser }).user;
  } finally {
    await request.post('/api/auth/sign-out', { headers: { origin }, data: {} });
  }
}

/** A unique email per call, so specs never collide on the one e2e database. */
export function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@e2e.test`;
}

export const test = base.extend<{ adminPage: Page }>({
  adminPage: async ({ page }, use) => {
    await signInViaApi(page, E2E_ADMIN);
    await use(page);
  },
});
