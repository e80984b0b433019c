// Admin forms give feedback where the eye is: a faulty field is marked (aria-invalid), described
// by a message in words (aria-describedby), scrolled to and focused, and cleared once fixed; the
// button says what is left. Also the small things: an import of only duplicates is a warning, the
// nav marks one section, a favicon on every page, and admin pages that fit a phone.
import { K_MAX, K_MIN } from '../../lib/shared/labeling';
import { E2E_ADMIN, test, expect, gotoReady } from '../fixtures';
import { e2eDb } from '../auth/db';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const stamp = Date.now().toString(36);
let projectPath = '';

// One project for the tests after the first, made through the API so each test stands alone.
test.beforeAll(async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: `http://localhost:${process.env.E2E_PORT ?? '3100'}` });
  expect((await api.post('/api/auth/sign-in/email', { data: E2E_ADMIN })).ok()).toBe(true);
  const created = await api.post('/api/projects', { data: { name: `Forms fixture ${stamp}`, k: 4 } });
  expect(created.status(), await created.text()).toBe(201);
  projectPath = `/admin/projects/${((await created.json()) as { project: { id: string } }).project.id}`;
  await api.dispose();
});

test('a faulty project form marks each field, says why in words, scrolls to the first and clears what is fixed', async ({ adminPage: page }) => {
  await page.setViewportSize(PHONE);
  await gotoReady(page, '/admin/projects');
  const form = page.getByRole('form', { name: 'Create a project' });
  const name = form.getByLabel('Name', { exact: true });
  const k = form.getByLabel('K (completions per ranking)');
  const temperature = form.getByLabel('Temperature');

  // An empty name is caught before anything is sent.
  await form.getByRole('button', { name: 'Create project' }).click();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription('Enter a name for the project.');
  await expect(name).toBeFocused();
  await name.fill(`Forms ${stamp}`);
  await expect(name).not.toHaveAttribute('aria-invalid');
  await expect(form.getByRole('alert')).toHaveCount(0);

  // Two fields the server refuses: both marked, the first (K, high on the form) focused in view.
  await k.fill('99');
  await temperature.fill('5');
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await form.getByRole('button', { name: 'Create project' }).click();
  await expect(k).toHaveAttribute('aria-invalid', 'true');
  await expect(k).toHaveAccessibleDescription(new RegExp(`K must be ${K_MIN}–${K_MAX}`));
  await expect(k).toBeFocused();
  await expect(k).toBeInViewport();
  await expect(temperature).toHaveAttribute('aria-invalid', 'true');
  await expect(temperature).toHaveAccessibleDescription(/Temperature must be above 0 and at most 2/);
  const status = form.getByRole('alert');
  await expect(status).toHaveText('Fix the 2 fields marked above, then try again.');
  // Messages are words, never schema paths or zod's wording.
  await expect(form).not.toContainText('samplingParams');
  await expect(form).not.toContainText('Invalid input');
  await page.screenshot({ path: 'test-results/forms-project-errors-phone.png', fullPage: false });

  // Fixing a field clears its message at once; the last fix clears the button's message too.
  await k.fill('4');
  await expect(k).not.toHaveAttribute('aria-invalid');
  await expect(k).not.toHaveAccessibleDescription(/K must be/);
  await expect(status).toBeVisible();
  await temperature.fill('0.9');
  await expect(temperature).not.toHaveAttribute('aria-invalid');
  await expect(form.getByRole('alert')).toHaveCount(0);

  await form.getByRole('button', { name: 'Create project' }).click();
  await expect(page).toHaveURL(/\/admin\/projects\/[^/]+$/);
});

test('an import in which every row was already there is a warning, and a bad file is marked at its field', async ({ adminPage: page }) => {
  await gotoReady(page, projectPath);
  const form = page.getByRole('form', { name: 'Prompts (JSONL or CSV)' });
  const file = form.getByLabel('File');
  const prompts = { name: 'prompts.jsonl', mimeType: 'application/json', buffer: Buffer.from(`{"text": "First ${stamp}"}\n{"text": "Second ${stamp}"}\n`) };

  await file.setInputFiles(prompts);
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(form.getByRole('status')).toHaveText(/^Imported 2 prompts/);

  await file.setInputFiles(prompts);
  await form.getByRole('button', { name: 'Import' }).click();
  const warning = form.getByRole('status');
  await expect(warning).toHaveText('Nothing new was imported: all 2 rows were already in the project.');
  await expect(warning).toHaveClass(/form-status-warning/);
  await expect(form.locator('.alert-success, .form-status-success')).toHaveCount(0);

  // A bad line: the message sits under the file field, which is marked.
  await file.setInputFiles({ name: 'bad.jsonl', mimeType: 'application/json', buffer: Buffer.from('{"text": ""}\n') });
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(file).toHaveAttribute('aria-invalid', 'true');
  await expect(file).toHaveAccessibleDescription(/line 1.*Nothing was imported/);
  await file.setInputFiles(prompts);
  await expect(file).not.toHaveAttribute('aria-invalid');
});

test('the quality set page renders prompts and completions as markdown, long ones behind Show more', async ({ adminPage: page }) => {
  await gotoReady(page, projectPath);
  const form = page.getByRole('form', { name: /^Completion sets/ });
  const prompt = `# Compare ${stamp}\n\n| city | people |\n|---|---|\n| Oslo | 700k |`;
  const completions = ['**Bold** answer', '`inline` code', '```\n' + 'x'.repeat(300) + '\n```', 'word '.repeat(400)];
  await form.getByLabel('File').setInputFiles({ name: 'sets.jsonl', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ prompt, completions, model: 'e2e' }) + '\n') });
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(form.getByRole('status')).toHaveText(/^Imported 1 set/);

  const db = e2eDb();
  const set = await db.completionSet.findFirstOrThrow({ where: { prompt: { text: prompt } }, select: { id: true } });
  await db.$disconnect();
  await gotoReady(page, `/research/quality/sets/${set.id}`);
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { name: `Compare ${stamp}` })).toBeVisible();
  await expect(main.getByRole('table').filter({ hasText: 'Oslo' })).toBeVisible();
  await expect(page.getByLabel('Completion #0').locator('strong')).toHaveText('Bold');
  await expect(main).not.toContainText('**Bold**');
  await expect(page.getByLabel('Completion #3').getByRole('button', { name: /^Show more/ })).toBeVisible();
  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `test-results/forms-quality-set-${label}.png`, fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
  }
});

test('the nav marks only the current section, and every page has a favicon', async ({ adminPage: page }) => {
  await gotoReady(page, '/research/quality');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Quality' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'Research' })).not.toHaveAttribute('aria-current');
  await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
  await gotoReady(page, '/research');
  await expect(nav.getByRole('link', { name: 'Research' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);

  const icon = await page.locator('link[rel="icon"]').first().getAttribute('href');
  expect(icon).toBeTruthy();
  expect((await page.request.get(icon!)).status()).toBe(200);
  const ico = await page.request.get('/favicon.ico');
  expect(ico.status()).toBe(200);
  expect(ico.headers()['content-type']).toContain('image/');
});

test('admin and research pages fit a phone without sideways scrolling', async ({ adminPage: page }) => {
  const pages = ['/admin/projects', projectPath, '/admin/users', '/admin/checkpoints', '/admin/checkpoints/register', '/admin/workers', '/research', '/research/quality', '/account/tokens'];
  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    for (const path of pages) {
      await gotoReady(page, path);
      const slug = path === projectPath ? 'project' : path.replace(/^\//, '').replace(/\//g, '-');
      await page.screenshot({ path: `test-results/forms-${slug}-${label}.png`, fullPage: true });
      const { width, wide } = await page.evaluate((max) => {
        // The outermost elements that reach past the screen's right edge name the culprit.
        const wide = [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > max + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > max + 1))
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(el.getBoundingClientRect().right)} px)`);
        return { width: document.documentElement.scrollWidth, wide };
      }, size.width);
      expect(width, `${path} at ${label} width: ${wide.join(', ')}`).toBeLessThanOrEqual(size.width);
    }
  }
});
