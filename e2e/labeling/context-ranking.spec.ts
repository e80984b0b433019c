// Comparisons inside conversations, in the browser. A labeler writes a dialogue over the JSON
// API and accepts a suggestion of the active policy word for word (a model-written turn), then
// submits it; the sample queue picks that turn and makes a ranking set of the original and
// three alternatives from the policy, in the conversation's context. A second labeler ranks it
// with the keyboard only, seeing the conversation above the candidates (the earlier turns fold
// away); the admin project page counts the set. The policy is a tiny random GPT-2 folder
// registered as a base and made the active policy in the database, standing in for a trained
// round (e2e/loop trains one; that takes minutes).
import path from 'node:path';
import { test, expect, E2E_ADMIN, E2E_MODELS_DIR, signInViaApi } from '../fixtures';
import { writeHfGpt2Folder } from '../../lib/ml/checkpoint/make-hf-folder';
import { HoneClient } from '../../lib/sim/client';
import { db, makeLabeler, shot, tabTo } from './helpers';

test.setTimeout(300_000);

type Msg = { id: string; text: string };

test('a labeler ranks alternatives inside a conversation with the keyboard', async ({ page, browser, request, baseURL }, testInfo) => {
  const stamp = Date.now().toString(36);
  const folder = `ctx-gpt2-${stamp}`;
  await writeHfGpt2Folder(path.resolve(E2E_MODELS_DIR, folder), { nLayer: 1, nEmbd: 32, nHead: 2, nPositions: 128 });

  const admin = await HoneClient.signIn(baseURL!, E2E_ADMIN.email, E2E_ADMIN.password);
  const { project } = await admin.post<{ project: { id: string } }>('/api/projects', {
    name: `Context e2e ${stamp}`,
    guidelines: 'Rank the **next assistant turn** of the conversation.',
    k: 4,
    overlap: 1,
    mixDemonstration: 0,
    mixDialogue: 1,
    mixRanking: 0,
    contextRate: 1,
    samplingParams: { maxTokens: 12 },
  });
  await admin.request('POST', `/api/projects/${project.id}/prompts/import?format=jsonl`, JSON.stringify({ text: `Plan a picnic by the river (${stamp})` }), { 'content-type': 'application/jsonl' });
  await admin.post(`/api/projects/${project.id}/bases`, { folder, name: `ctx-policy-${stamp}` });
  await db(`UPDATE "Checkpoint" SET kind = 'POLICY', active = true WHERE "projectId" = $1`, [project.id]);

  // The author's dialogue: a human turn, then a suggestion accepted word for word, then a human ending.
  const author = await makeLabeler(request);
  const a = await HoneClient.signIn(baseURL!, author.email, author.password);
  const { task } = await a.post<{ task: { taskId: string } }>('/api/tasks/next', { projectId: project.id, kind: 'DIALOGUE' });
  const view = await a.get<{ task: { dialogue: { conversationId: string; messages: Msg[] } } }>(`/api/tasks/${task.taskId}`);
  const convo = view.task.dialogue.conversationId;
  const say = async (parentId: string, role: 'USER' | 'ASSISTANT', text: string, editedFromId?: string) =>
    (await a.post<{ message: Msg }>(`/api/conversations/${convo}/messages`, { parentId, role, text, ...(editedFromId ? { editedFromId } : {}) })).message;
  const a1 = await say(view.task.dialogue.messages[0].id, 'ASSISTANT', 'Which **river**, and how many people?');
  const u2 = await say(a1.id, 'USER', 'The Thames, four of us.');
  const { message: suggestion } = await a.post<{ message: Msg }>(`/api/conversations/${convo}/suggest`, { parentId: u2.id });
  const accepted = await say(u2.id, 'ASSISTANT', suggestion.text, suggestion.id);
  const u3 = await say(accepted.id, 'USER', 'And drinks?');
  const a3 = await say(u3.id, 'ASSISTANT', 'Water and lemonade.');
  await a.post(`/api/tasks/${task.taskId}/submit`, { kind: 'DIALOGUE', leafMessageId: a3.id });

  await expect
    .poll(async () => (await db<{ n: number }>(`SELECT count(*)::int AS n FROM "CompletionSet" WHERE "conversationId" = $1 AND "continuesMessageId" = $2`, [convo, accepted.id]))[0].n, { timeout: 120_000 })
    .toBe(1);

  // Another labeler ranks it, keyboard only.
  const ranker = await makeLabeler(request);
  await signInViaApi(page, ranker);
  await page.goto('/label');
  await page.getByLabel('Project').selectOption(project.id);
  await tabTo(page, page.getByLabel('Task kind'));
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown'); // Any → Demonstration → Dialogue → Ranking
  await expect(page.getByLabel('Task kind')).toHaveValue('RANKING');
  await page.keyboard.press('Tab');
  await page.keyboard.press('n');
  await expect(page).toHaveURL(/\/label\/tasks\//);

  const context = page.getByTestId('ranking-context');
  await expect(page.getByRole('heading', { name: 'Dialogue so far' })).toBeVisible();
  await expect(context.getByText('The Thames, four of us.')).toBeVisible();
  await expect(context.locator('strong', { hasText: 'river' })).toBeVisible(); // markdown rendered
  await expect(context.getByText('Water and lemonade.')).toHaveCount(0); // only the conversation up to the turn
  // The earlier turns fold away and come back from the keyboard.
  const summary = context.getByText('Earlier in the conversation (2 turns)');
  await tabTo(page, summary);
  await page.keyboard.press('Enter');
  await expect(context.getByText('Which river, and how many people?', { exact: false })).toBeHidden();
  await page.keyboard.press('Enter');
  await expect(context.getByText(/Which/)).toBeVisible();

  const cards = page.getByTestId('ranking-list').locator('[data-item]');
  await expect(cards).toHaveCount(4);
  const order0 = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-item')));
  await tabTo(page, cards.nth(3).getByRole('button', { name: /^Drag completion/ }));
  await page.keyboard.press('Alt+ArrowUp');
  await page.keyboard.press('Alt+ArrowUp');
  await page.keyboard.press('Alt+ArrowUp');
  await expect(cards.nth(0)).toHaveAttribute('data-item', order0[3]!);
  await page.keyboard.press('Escape');
  await shot(page, testInfo, 'context-ranking');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText('Submitted.', { exact: true })).toBeVisible();

  const [j] = await db<{ tiers: number[][]; continues: string }>(
    `SELECT j.tiers, s."continuesMessageId" AS continues FROM "Judgement" j JOIN "CompletionSet" s ON s.id = j."setId" WHERE j."userId" = $1`,
    [ranker.id],
  );
  expect(j.continues).toBe(accepted.id);
  expect(j.tiers).toEqual([order0[3], order0[0], order0[1], order0[2]].map((i) => [Number(i)]));

  // The admin project page counts the set.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signInViaApi(adminPage, E2E_ADMIN);
  await adminPage.goto(`/admin/projects/${project.id}`);
  await expect(adminPage.getByTestId('context-sets')).toContainText('1 ranking set made inside conversations (from 1 dialogue');
  await adminContext.close();
});
