// Blind A/B votes in the browser, through the real path: two nano checkpoints (untrained: their
// words are random, which is all this needs) registered on a project with held-out prompts; an
// admin starts an evaluation with the form on /admin/arena; the e2e server's worker writes the
// replies and opens the battles; a labeler's next task is an arena vote, answered with the
// keyboard only (B, Ctrl+Enter; then N, X, Ctrl+Enter); the database holds each vote mapped to
// the battle's own order through the side this labeler saw.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, E2E_ADMIN, signInViaApi, test } from '../fixtures';
import { db, expectNoHorizontalScroll, makeLabeler, makeLabelingProject, shot } from '../labeling/helpers';
import { newId } from '../../lib/shared/ids';

test.describe.configure({ mode: 'serial' });

const TAG = Date.now().toString(36);
let projectId = '';
let evaluationId = '';

test.beforeAll(async ({ request }) => {
  test.setTimeout(180_000);
  projectId = await makeLabelingProject(request, { name: `Arena ${TAG}`, sets: 0, mix: { mixDemonstration: 1, mixDialogue: 0, mixRanking: 0 }, promptTexts: ['Write a thank-you note.'] });
  await request.post('/api/auth/sign-in/email', { data: E2E_ADMIN });
  const held = ['Name a colour of the sky.', 'Say hello to a neighbour.'].map((text) => JSON.stringify({ text, split: 'val' })).join('\n');
  const imported = await request.post(`/api/projects/${projectId}/prompts/import`, { headers: { 'content-type': 'application/jsonl' }, data: held });
  expect(imported.ok(), await imported.text()).toBe(true);
  for (const name of [`arena-alpha-${TAG}`, `arena-beta-${TAG}`]) {
    const dir = path.resolve(`test-results/${name}`);
    execFileSync(process.execPath, ['--import', 'tsx', 'e2e/labeling/nano-policy.ts', dir], { stdio: 'ignore', timeout: 60_000 });
    await db(`INSERT INTO "Checkpoint" (id, "projectId", kind, name, preset, status, uri, "createdAt") VALUES ($1, $2, 'POLICY', $3, 'nano', 'READY', $4, now())`, [newId(), projectId, name, dir]);
  }
});

test('an admin starts an evaluation with the form; the worker opens its battles', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await signInViaApi(page, E2E_ADMIN);
  await page.goto('/admin/arena');
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await page.getByLabel('Project').selectOption(projectId);
  // too few checkpoints: said beside the field, nothing sent
  await page.getByRole('button', { name: 'Start evaluation' }).click();
  await expect(page.getByText('Choose at least two checkpoints to compare.')).toBeVisible();
  await page.getByLabel(new RegExp(`arena-alpha-${TAG}`)).check();
  await page.getByLabel(new RegExp(`arena-beta-${TAG}`)).check();
  await page.getByLabel('Name (optional)').fill(`Alpha vs beta ${TAG}`);
  await expect(page.getByTestId('arena-size')).toHaveText('1 pair(s) × 2 prompt(s) = 2 battles, 2 votes wanted.');
  await shot(page, testInfo, 'arena-admin-start');
  await page.getByRole('button', { name: 'Start evaluation' }).click();
  await expect(page).toHaveURL(/\/admin\/arena\/[^/]+$/);
  evaluationId = new URL(page.url()).pathname.split('/').pop()!;
  await expect
    .poll(async () => (await db<{ status: string }>(`SELECT status::text FROM "ArenaEvaluation" WHERE id = $1`, [evaluationId]))[0]?.status, { timeout: 120_000, intervals: [500] })
    .toBe('OPEN');
  const tasks = await db<{ n: number }>(`SELECT count(*)::int AS n FROM "Task" t JOIN "ArenaBattle" b ON b.id = t."arenaBattleId" WHERE b."evaluationId" = $1 AND t.kind = 'ARENA'`, [evaluationId]);
  expect(tasks[0].n).toBe(2);
  await page.goto('/admin/arena');
  await expect(page.getByRole('link', { name: `Alpha vs beta ${TAG}` })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(`Alpha vs beta ${TAG}`) }).getByText('0 / 2')).toBeVisible();
  await shot(page, testInfo, 'arena-admin-list');
});

test('a labeler votes with the keyboard: B then Ctrl+Enter, then N, X, Ctrl+Enter; votes stored in the battle order', async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const labeler = await makeLabeler(request);
  await signInViaApi(page, labeler);
  await page.goto('/label');
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await page.getByLabel('Project').selectOption(projectId);
  await expect(page.getByTestId('arena-open')).toContainText('2 open arena vote(s)');
  await page.keyboard.press('Escape'); // leave the select, so single keys act
  await page.keyboard.press('n');
  await expect(page.getByRole('heading', { name: 'Which reply is better?' })).toBeVisible();
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  // nothing on the page names a model
  const body = (await page.locator('main').textContent()) ?? '';
  expect(body).not.toContain('arena-alpha');
  expect(body).not.toContain('arena-beta');
  expect(body).not.toContain(`Alpha vs beta ${TAG}`);
  await expect(page.getByTestId('reply-A')).toBeVisible();
  await expect(page.getByTestId('reply-B')).toBeVisible();

  await page.keyboard.press('b');
  await expect(page.getByRole('button', { name: /B is better/ })).toHaveAttribute('aria-pressed', 'true');
  await shot(page, testInfo, 'arena-vote-desktop');
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoHorizontalScroll(page);
  await shot(page, testInfo, 'arena-vote-phone');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText('Submitted.', { exact: true })).toBeVisible();

  const first = await db<{ winner: string; swapped: boolean }>(`SELECT v.winner::text, v.swapped FROM "ArenaVote" v JOIN "User" u ON u.id = v."userId" WHERE u.email = $1`, [labeler.email]);
  expect(first).toHaveLength(1);
  // B is the right-hand reply: model B's unless this labeler sees the battle swapped
  expect(first[0].winner).toBe(first[0].swapped ? 'MODEL_A' : 'MODEL_B');

  await page.keyboard.press('n');
  await expect(page.getByText('Submitted.', { exact: true })).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Which reply is better?' })).toBeVisible();
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await page.keyboard.press('x');
  await expect(page.getByRole('button', { name: /Both are bad/ })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText('Submitted.', { exact: true })).toBeVisible();
  const votes = await db<{ winner: string }>(`SELECT v.winner::text FROM "ArenaVote" v JOIN "User" u ON u.id = v."userId" WHERE u.email = $1 ORDER BY v."createdAt"`, [labeler.email]);
  expect(votes.map((v) => v.winner)).toEqual([first[0].winner, 'BOTH_BAD']);
  const ev = await db<{ votes: number }>(`SELECT count(*)::int AS votes FROM "ArenaVote" WHERE "evaluationId" = $1`, [evaluationId]);
  expect(ev[0].votes).toBe(2);

  // the evaluation is used up: the next task is the project's own mix again
  await page.keyboard.press('n');
  await expect(page.getByRole('heading', { name: 'Write the ideal answer' })).toBeVisible();
});
