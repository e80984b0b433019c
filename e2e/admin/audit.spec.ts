// The audit log, read by an admin: actions done through the app show on /admin/audit as
// sentences, filtered by project, action and person; bad API filters are refused in words.
// And the two things a submit now carries: a per-completion Likert ranking (keyboard), checked
// in the database with the guideline version the labeler had on screen, marked outdated because
// the admin published new guidelines meanwhile.
import type { APIRequestContext } from '@playwright/test';
import { E2E_ADMIN, expect, gotoReady, signInViaApi, test } from '../fixtures';
import { db, makeLabeler, makeLabelingProject, shot, tabTo } from '../labeling/helpers';

test.describe.configure({ mode: 'serial' });

async function asAdmin<T>(request: APIRequestContext, work: () => Promise<T>): Promise<T> {
  const signedIn = await request.post('/api/auth/sign-in/email', { data: E2E_ADMIN });
  expect(signedIn.ok()).toBe(true);
  try {
    return await work();
  } finally {
    await request.post('/api/auth/sign-out', { headers: { origin: new URL(signedIn.url()).origin }, data: {} });
  }
}

test('an admin reads the audit log of their actions, filtered', async ({ adminPage: page }, testInfo) => {
  const tag = Date.now().toString(36);
  const name = `Audited ${tag}`;
  const created = await page.request.post('/api/projects', { data: { name, guidelines: 'Be kind.', k: 4, overlap: 1 } });
  expect(created.status(), await created.text()).toBe(201);
  const { project } = (await created.json()) as { project: { id: string } };
  expect((await page.request.patch(`/api/projects/${project.id}`, { data: { guidelines: 'Be kind, and cite sources.', overlap: 2 } })).ok()).toBe(true);
  const imported = await page.request.post(`/api/projects/${project.id}/prompts/import`, { headers: { 'content-type': 'application/jsonl' }, data: '{"text":"Why is the sky blue?"}\n{"text":"Name a prime."}' });
  expect(imported.ok(), await imported.text()).toBe(true);

  await gotoReady(page, '/admin/projects');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  const filters = page.getByRole('search', { name: 'Filter the audit log' });
  await filters.getByLabel('Project').selectOption({ label: name });
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(new RegExp(`projectId=${project.id}`));
  const rows = page.getByRole('row');
  await expect(rows.filter({ hasText: `Admin created project ${name}` })).toHaveCount(1);
  await expect(rows.filter({ hasText: `Admin published new guidelines for project ${name}` })).toContainText('version=2');
  await expect(rows.filter({ hasText: `Admin changed the settings of project ${name}` })).toContainText('overlap=2');
  await expect(rows.filter({ hasText: `Admin imported prompts into project ${name}` })).toContainText('imported=2');
  await shot(page, testInfo, 'audit-log-project');

  // Narrowed to one family, then to someone who did nothing here.
  await filters.getByLabel('Action').selectOption('guidelines');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(2); // header + the one guidelines row
  const admin = await db<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [E2E_ADMIN.email]);
  await expect(filters.getByLabel('Person')).toHaveValue('');
  await filters.getByLabel('Person').selectOption(admin[0]!.id);
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(2);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);

  // The API answers the same rows, and refuses a filter it does not know in words.
  const api = await page.request.get(`/api/admin/audit?projectId=${project.id}&action=project`);
  expect(api.ok()).toBe(true);
  const body = (await api.json()) as { entries: { action: string; summary: string }[] };
  expect(body.entries.map((e) => e.action).sort()).toEqual(['project.create', 'project.update']);
  const bad = await page.request.get('/api/admin/audit?action=projects.delete');
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^There is no audit action "projects\.delete"/);
});

test('a labeler rates every completion with the keyboard; the guideline version they saw is stored, marked outdated', async ({ page, request }, testInfo) => {
  const projectId = await makeLabelingProject(request, { name: `Likert each ${Date.now().toString(36)}`, prompts: 1, sets: 1, mix: { mixDemonstration: 0, mixDialogue: 0 } });
  await asAdmin(request, async () => {
    const res = await request.patch(`/api/projects/${projectId}`, { data: { likertMode: 'PER_COMPLETION' } });
    expect(res.ok(), await res.text()).toBe(true);
  });
  const labeler = await makeLabeler(request);
  await signInViaApi(page, labeler);
  await gotoReady(page, '/label');
  await page.getByLabel('Project').selectOption(projectId);
  await page.getByLabel('Task kind').selectOption({ label: 'Ranking' });
  await page.getByRole('button', { name: /Next task/ }).click();
  await expect(page.getByRole('heading', { name: 'Rank the completions' })).toBeVisible();
  // One rating per card, none overall.
  await expect(page.getByRole('group', { name: /^Overall quality/ })).toHaveCount(0);
  const cards = page.getByTestId('ranking-list').locator('[data-item]');
  await expect(cards.first().getByRole('group', { name: /^Rating of completion A/ })).toBeVisible();

  // The admin publishes new guidelines while the labeler works.
  await asAdmin(request, async () => {
    expect((await request.patch(`/api/projects/${projectId}`, { data: { guidelines: 'New rules: prefer short answers.' } })).ok()).toBe(true);
  });

  await page.keyboard.press('o'); // keep the shown order as the ranking
  const ratings = [6, 3, 5];
  for (const [pos, value] of ratings.entries()) {
    await tabTo(page, cards.nth(pos).getByRole('button', { name: /^Drag completion/ }));
    await page.keyboard.press(String(value));
    await expect(cards.nth(pos).getByRole('radio', { name: new RegExp(`: ${value}`) })).toBeChecked();
  }
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('submit-error')).toContainText('Rate every completion from 1 to 7');
  await expect(page.getByTestId('submit-error')).toContainText('D has no rating yet');
  await tabTo(page, cards.nth(3).getByRole('button', { name: /^Drag completion/ }));
  await page.keyboard.press('1');
  await expect(cards.nth(3).getByText('rated 1')).toBeVisible();
  await shot(page, testInfo, 'ranking-likert-per-completion');
  const shown = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-item')));
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText('Submitted.', { exact: true })).toBeVisible();

  const [j] = await db<{ likertPerCompletion: Record<string, number>; likert: number | null; guidelineVersion: number; guidelineOutdated: boolean }>(
    `SELECT "likertPerCompletion", likert, "guidelineVersion", "guidelineOutdated" FROM "Judgement" WHERE "userId" = $1 AND "projectId" = $2`,
    [labeler.id, projectId],
  );
  expect(j).toMatchObject({ likert: null, guidelineVersion: 1, guidelineOutdated: true });
  expect(j!.likertPerCompletion).toEqual({ [shown[0]!]: 6, [shown[1]!]: 3, [shown[2]!]: 5, [shown[3]!]: 1 });
});
