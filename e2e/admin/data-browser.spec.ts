// The data browser (issue #16 §8): an admin searches and filters a project's data with URLs
// that Back and Forward replay, opens a completion set with every judgement, marks its gold order
// with the labelers' drag cards by keyboard alone, and finds the list refreshed on return; a
// researcher browses too; a labeler is refused. Screenshots at 1440×900 and 390×844.
import pg from 'pg';
import type { Page } from '@playwright/test';
import { test, expect, createUserViaApi, uniqueEmail, gotoReady, signInViaApi } from '../fixtures';
import { seedExportDataset } from '../../lib/data/exports/test-dataset';

const prefix = `dbr${Date.now().toString(36)}`;
const id = (s: string) => `${prefix}-${s}`;
let projectId = '';

test.beforeAll(async () => {
  const url = new URL(process.env.HONE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/hone_e2e_${process.env.E2E_PORT ?? '3100'}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  ({ projectId } = await seedExportDataset(db, prefix));
  // Round 1 trained on alice's ranking of the France set.
  await db.query(`INSERT INTO "DatasetSnapshot" (id, "projectId", kind, filter, "rowCount", sha256, manifest) VALUES ($1, $2, 'ROUND', '{}', 1, $3, '{}')`, [id('snap'), projectId, 'a'.repeat(64)]);
  await db.query(`INSERT INTO "DatasetSnapshotItem" ("snapshotId", ordinal, "itemType", "itemId") VALUES ($1, 0, 'judgement', $2)`, [id('snap'), id('j-s1-alice')]);
  await db.query(`UPDATE "TrainingRound" SET "snapshotId" = $1 WHERE id = $2`, [id('snap'), id('round1')]);
  await db.end();
});

const rows = (page: Page) => page.getByRole('table').locator('tbody tr');

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/data-browser-${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  // Nothing may be wider than a phone: the tables turn into cards there.
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} fits 390 px`).toBeLessThanOrEqual(390);
  await page.screenshot({ path: `test-results/data-browser-${name}-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });
}

test('an admin searches, filters, opens a set, marks gold by keyboard and finds the list refreshed', async ({ adminPage: page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoReady(page, `/admin/projects/${projectId}`);
  await page.getByRole('link', { name: 'Browse data' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Data: Export fixture');
  await expect(page.getByRole('heading', { name: /^Prompts/ })).toContainText('(3)');
  await expect(rows(page)).toHaveCount(3);

  // Search: the URL carries it, the server filters.
  await page.getByLabel('Search').fill('haiku');
  await page.getByLabel('Search').press('Enter');
  await expect(page).toHaveURL(/\?tab=prompts&q=haiku$/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText('Write a haiku about rain.');

  // Another list keeps the search; then clear it and filter the sets by gold.
  await page.getByRole('navigation', { name: 'Lists' }).getByRole('link', { name: 'Completion sets' }).click();
  await expect(page).toHaveURL(/\?tab=sets&q=haiku$/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText('gold');
  await page.getByRole('link', { name: 'Clear', exact: true }).click();
  await expect(page).toHaveURL(/\?tab=sets$/);
  await expect(rows(page)).toHaveCount(3);
  await page.getByLabel('Gold order').selectOption({ label: 'Not gold' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/\?tab=sets&gold=no$/);
  await expect(rows(page)).toHaveCount(2);
  await shoot(page, 'sets');

  // Back undoes the filter, Forward brings it back, and the form follows the URL.
  await page.goBack();
  await expect(page).toHaveURL(/\?tab=sets$/);
  await expect(rows(page)).toHaveCount(3);
  await expect(page.getByLabel('Gold order')).toHaveValue('');
  await page.goForward();
  await expect(page).toHaveURL(/\?tab=sets&gold=no$/);
  await expect(page.getByLabel('Gold order')).toHaveValue('no');

  // Open the France set: the prompt, every judgement in full.
  await page.getByRole('link', { name: 'What is the capital of France?' }).click();
  await expect(page).toHaveURL(`/data/${projectId}/items/set/${id('s1')}`);
  await expect(page.getByRole('heading', { name: 'Completion set', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Judgements (3)' })).toBeVisible();
  const carol = page.getByRole('article', { name: 'Judgement by carol' });
  await expect(carol).toContainText('factual_error');
  await expect(carol).toContainText('guidelines v2');
  await expect(page.getByRole('article', { name: 'Judgement by alice' })).toContainText('6 of 7');
  await expect(page.getByTestId('gold-order')).toHaveText('not marked');
  await expect(page.getByRole('region', { name: 'Used in' }).getByRole('link', { name: 'Round 1' })).toBeVisible();

  // Gold by keyboard alone with the labelers' cards: keyboard-drag #2 to the top, tie #1 with #0.
  const gold = page.getByRole('form', { name: 'Gold order' });
  const cards = gold.getByTestId('gold-ranking').locator('[data-item]');
  await expect(cards).toHaveCount(4);
  await page.getByRole('button', { name: 'Save gold order' }).click();
  await expect(gold.getByTestId('gold-status')).toContainText('Put the completions in their true order first');
  // dnd-kit's keyboard drag: Space picks the card up, each arrow moves it one place, Space drops.
  // Each step waits for dnd-kit's screen-reader announcement, as a person waits for the card.
  const announced = page.locator('[id^="DndLiveRegion"]');
  const handle = page.getByRole('button', { name: 'Drag completion #2' });
  await handle.focus();
  await page.keyboard.press('Space');
  await expect(handle).toHaveAttribute('aria-pressed', 'true');
  await expect(announced).toHaveText(/^(Picked up completion #2|Completion #2 is over position 3)\.$/);
  await page.keyboard.press('ArrowUp');
  await expect(announced).toHaveText('Completion #2 is over position 2.');
  await page.keyboard.press('ArrowUp');
  await expect(announced).toHaveText('Completion #2 is over position 1.');
  await page.keyboard.press('Space');
  await expect(cards.first()).toHaveAttribute('data-item', '2');
  await expect(gold.getByTestId('gold-status')).toHaveCount(0); // the error cleared once the order changed
  await page.getByRole('button', { name: 'Drag completion #1' }).focus();
  await page.keyboard.press('=');
  await expect(page.getByRole('checkbox', { name: 'Completion #1 is tied with the one above' })).toBeChecked();
  await page.getByRole('button', { name: 'Save gold order' }).click();
  await expect(gold.getByTestId('gold-status')).toHaveText('Gold order saved: #2 > #0 = #1 > #3.');
  // The page's server data is refreshed in place: the stored order shows without a reload.
  await expect(page.getByTestId('gold-order')).toHaveText('#2 > #0 = #1 > #3');
  expect(((await (await page.request.get(`/api/projects/${projectId}/data/items/set/${id('s1')}`)).json()) as { item: { goldTiers: number[][] } }).item.goldTiers).toEqual([[2], [0, 1], [3]]);
  await shoot(page, 'set');

  // Back to the "not gold" list: it no longer holds the set just marked.
  await page.goBack();
  await expect(page).toHaveURL(/\?tab=sets&gold=no$/);
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByRole('link', { name: 'What is the capital of France?' })).toHaveCount(0);

  // The gold page lists it among the gold sets too, and edits another set with the same cards.
  await gotoReady(page, `/admin/gold?projectId=${projectId}&setId=${id('s3')}`);
  await expect(page.getByRole('table', { name: 'Sets with a gold order' })).toContainText('What is the capital of France?');
  await expect(page.getByRole('form', { name: 'Gold order' }).getByTestId('gold-ranking').locator('[data-item]')).toHaveCount(4);
  await shoot(page, 'gold');

  // The submissions list: a dialogue opens as its turn tree.
  await gotoReady(page, `/data/${projectId}?tab=submissions&kind=conversation&q=Lisbon`);
  await expect(rows(page)).toHaveCount(1);
  await rows(page).first().getByRole('link', { name: 'Dialogue' }).click();
  await expect(page.getByRole('heading', { name: 'Dialogue', level: 1 })).toBeVisible();
  await expect(page.getByText('model suggestion')).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'Branch 2 of 2 after “Lisbon, 3 days.”' })).toContainText('Start at Belém');
  await shoot(page, 'dialogue');

  // A bad id is the 404 page, never an error.
  const missing = await page.goto(`/data/${projectId}/items/set/no-such-set`);
  expect(missing?.status()).toBe(404);
  expect((await page.goto(`/data/${projectId}/items/user/${id('alice')}`))?.status()).toBe(404);
});

test('a researcher browses and reads a set without the gold editor; a labeler is refused', async ({ page, request, browser }) => {
  const researcher = { email: uniqueEmail('researcher'), password: 'researcher-pw-1', name: 'Rita Researcher', role: 'RESEARCHER' as const };
  const labeler = { email: uniqueEmail('labeler'), password: 'labeler-pw-123', name: 'Leo Labeler', role: 'LABELER' as const };
  await createUserViaApi(request, researcher);
  await createUserViaApi(request, labeler);

  await page.setViewportSize({ width: 1440, height: 900 });
  await signInViaApi(page, researcher);
  await gotoReady(page, `/research?projectId=${projectId}`);
  await page.getByRole('link', { name: 'Browse data' }).click();
  await expect(page).toHaveURL(`/data/${projectId}`);
  await page.getByRole('navigation', { name: 'Lists' }).getByRole('link', { name: 'Submissions' }).click();
  await page.getByLabel('Split').selectOption('val');
  await page.getByLabel('Kind').selectOption('judgement');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/\?tab=submissions&split=val&kind=judgement$/);
  await expect(rows(page)).toHaveCount(3);
  await expect(page.getByText('all bad')).toBeVisible();
  await shoot(page, 'submissions');
  // Another list keeps the filters it takes (the split) and drops the others (a judgement kind).
  await page.getByRole('navigation', { name: 'Lists' }).getByRole('link', { name: 'Tasks' }).click();
  await expect(page).toHaveURL(/\?tab=tasks&split=val$/);
  await expect(rows(page)).toHaveCount(2);
  await shoot(page, 'tasks');
  await page.getByRole('link', { name: 'Write a haiku about rain.' }).first().click();
  await expect(page.getByRole('heading', { name: 'Prompt', level: 1 })).toBeVisible();
  await shoot(page, 'prompt');
  await page.getByRole('link', { name: /4 completions from gpt2/ }).click();
  await expect(page.getByRole('heading', { name: 'Completions (4)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save gold order' })).toHaveCount(0);
  await expect(page.getByTestId('gold-order')).toHaveText('#1 > #0 > #2 = #3');
  await page.getByRole('article', { name: 'Judgement by bob' }).getByRole('link', { name: 'Open' }).click();
  await expect(page.getByRole('heading', { name: 'Ranking judgement', level: 1 })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Judgement by bob' })).toContainText('Two decent ones.');

  const context = await browser.newContext();
  const lab = await context.newPage();
  await signInViaApi(lab, labeler);
  await gotoReady(lab, `/data/${projectId}`);
  await expect(lab.getByRole('heading', { level: 1 })).toHaveText('You need the RESEARCHER role');
  await expect(lab.getByRole('table')).toHaveCount(0);
  const api = await lab.request.get(`/api/projects/${projectId}/data?tab=sets`);
  expect(api.status()).toBe(403);
  await context.close();
});
