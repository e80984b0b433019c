// Live suggestions in the demonstration and dialogue editors, with a real model: a nano policy saved as a
// checkpoint and made the project's active policy (the cheapest real path: no training round),
// answered by the e2e server's own worker on the infer queue. The labeler types fast (nothing
// is asked), pauses (one suggestion, asked once), uses it, edits it and submits; the database
// keeps the raw suggestion beside the answer, and the pairwise export holds the edit pair. In a
// dialogue, the live suggestion for the next assistant turn is used (Alt+A), edited and added.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { createUserViaApi, expect, E2E_ADMIN, signInViaApi, test, uniqueEmail } from '../fixtures';
import { db, expectNoHorizontalScroll, makeLabeler, makeLabelingProject, shot } from './helpers';
import { newId } from '../../lib/shared/ids';

test.describe.configure({ mode: 'serial' });

const POLICY = `nano-suggester-${Date.now().toString(36)}`;
let projectId = '';
let checkpointId = '';

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  projectId = await makeLabelingProject(request, { sets: 0, mix: { mixDemonstration: 1, mixDialogue: 1, mixRanking: 0 }, promptTexts: ['Say something kind to a friend.'] });
  await request.post('/api/auth/sign-in/email', { data: E2E_ADMIN });
  const patched = await request.patch(`/api/projects/${projectId}`, { data: { suggestMode: 'LIVE', editPairWeight: 2 } });
  expect(patched.ok(), await patched.text()).toBe(true);
  // A nano GPT-2-tokenizer policy (untrained: its words are random, which is all this needs).
  const dir = path.resolve(`test-results/${POLICY}`);
  execFileSync(process.execPath, ['--import', 'tsx', 'e2e/labeling/nano-policy.ts', dir], { stdio: 'ignore', timeout: 60_000 });
  checkpointId = newId();
  await db(`INSERT INTO "Checkpoint" (id, "projectId", kind, name, preset, status, uri, active, "promotedAt", "createdAt") VALUES ($1, $2, 'POLICY', $3, 'nano', 'READY', $4, true, now(), now())`, [checkpointId, projectId, POLICY, dir]);
});

async function startTask(page: Page, kind: 'Demonstration' | 'Dialogue') {
  await page.goto('/label');
  await page.getByLabel('Project').selectOption(projectId);
  await page.getByLabel('Task kind').selectOption({ label: kind });
  await page.getByRole('button', { name: /Next task/ }).click();
  await expect(page).toHaveURL(/\/label\/tasks\//);
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
}

test('a live suggestion on a pause in a demonstration: used, edited, submitted, kept raw beside the answer', async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const labeler = await makeLabeler(request);
  await signInViaApi(page, labeler);
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/api\/tasks\/[^/]+\/suggest$/.test(r.url())) asked.push(r.url());
  });
  await startTask(page, 'Demonstration');
  await expect(page.getByRole('heading', { name: 'Write the ideal answer' })).toBeVisible();

  // Typing fast (a key every 80 ms) asks for nothing.
  const answer = page.getByLabel('Your ideal answer (markdown)');
  await answer.pressSequentially('You make every day brighter', { delay: 80 });
  expect(asked).toEqual([]);
  await answer.fill('');

  // A pause: one suggestion, from the active policy.
  const panel = page.getByTestId('suggestion-panel');
  await expect(panel.getByText(`From ${POLICY}.`)).toBeVisible({ timeout: 60_000 });
  const raw = (await panel.getByTestId('suggestion-text').textContent()) ?? '';
  expect(asked).toHaveLength(1);
  await expectNoHorizontalScroll(page);
  await shot(page, testInfo, 'suggestion-live');

  // Use it, edit it, submit.
  await panel.getByRole('button', { name: /^Use this answer/ }).click();
  await expect(answer).toHaveValue(raw);
  await expect(page.getByText(`Started from a suggestion by ${POLICY}`)).toBeVisible();
  await answer.press('End');
  await answer.pressSequentially(' Thank you for being there.');
  const edited = await answer.inputValue();
  expect(edited.trim()).not.toBe(raw.trim());
  await page.waitForTimeout(1500); // a pause after the edit asks for nothing more: the suggestion was used
  expect(asked).toHaveLength(1);
  await shot(page, testInfo, 'suggestion-edited');
  await page.getByRole('button', { name: /^Submit/ }).click();
  await expect(page.getByText('Submitted.', { exact: true })).toBeVisible();

  const [row] = await db<{ text: string; suggestionText: string; suggestionCheckpointId: string }>(
    `SELECT d.text, d."suggestionText", d."suggestionCheckpointId" FROM "Demonstration" d JOIN "User" u ON u.id = d."userId" WHERE d."projectId" = $1 AND u.email = $2`,
    [projectId, labeler.email],
  );
  expect(row).toEqual({ text: edited, suggestionText: raw, suggestionCheckpointId: checkpointId });

  // The pair is in the preference exports, marked as an edit.
  const researcher = { email: uniqueEmail('researcher'), password: 'researcher-password-1', name: 'Rae Researcher', role: 'RESEARCHER' as const };
  await createUserViaApi(request, researcher);
  await request.post('/api/auth/sign-in/email', { data: { email: researcher.email, password: researcher.password } });
  const exp = await request.get(`/api/exports/pairwise?projectId=${projectId}`);
  expect(exp.status(), await exp.text()).toBe(200);
  const pairs = (await exp.text()).trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(pairs.map((p) => [p.origin, p.chosen, p.rejected])).toEqual([['edit', edited, raw]]);
});

test('a live suggestion for the next assistant turn of a dialogue: used, edited, added with the raw one kept', async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const labeler = await makeLabeler(request);
  await signInViaApi(page, labeler);
  await startTask(page, 'Dialogue');
  await expect(page.getByRole('heading', { name: 'Write a dialogue' })).toBeVisible();
  const panel = page.getByTestId('suggestion-panel');
  await expect(panel.getByText(`From ${POLICY}.`)).toBeVisible({ timeout: 60_000 });
  const raw = (await panel.getByTestId('suggestion-text').textContent()) ?? '';
  await shot(page, testInfo, 'suggestion-dialogue');
  await page.keyboard.press('Alt+A');
  const box = page.getByLabel(/Next turn: assistant/);
  await expect(box).toHaveValue(raw);
  await box.press('End');
  await box.pressSequentially(' You matter.');
  const edited = await box.inputValue();
  await box.press('Alt+Enter');
  await expect(page.getByTestId('dialogue-thread').getByText('edited from a model suggestion')).toBeVisible();
  // the next turn is the user's: nothing to suggest, and nothing asked
  await expect(panel.getByText('Suggestions answer a user turn: write the user turn first.')).toBeVisible();
  await page.getByRole('button', { name: /^Submit/ }).click();
  await expect(page.getByText('Submitted.', { exact: true })).toBeVisible();

  const rows = await db<{ text: string; isSuggestion: boolean; editedFrom: string | null }>(
    `SELECT m.text, m."isSuggestion", s.text AS "editedFrom" FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId" JOIN "User" u ON u.id = c."userId"
       LEFT JOIN "Message" s ON s.id = m."editedFromId" WHERE u.email = $1 AND m.role = 'ASSISTANT' ORDER BY m."createdAt"`,
    [labeler.email],
  );
  expect(rows).toEqual([
    { text: raw, isSuggestion: true, editedFrom: null },
    { text: edited, isSuggestion: false, editedFrom: raw },
  ]);
});
