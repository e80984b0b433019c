// A labeler completes each task kind with the mouse, one ranking with the keyboard only, and a
// reload mid-draft keeps the text. Screenshots of every task page are attached.
import { expect, signInViaApi, test } from '../fixtures';
import { db, expectNoHorizontalScroll, makeLabeler, makeLabelingProject, shot, tabTo } from './helpers';

test.describe.configure({ mode: 'serial' });

async function startTask(page: import('@playwright/test').Page, projectId: string, kind: 'Demonstration' | 'Dialogue' | 'Ranking') {
  await page.goto('/label');
  await page.getByLabel('Project').selectOption(projectId);
  await page.getByLabel('Task kind').selectOption({ label: kind });
  await page.getByRole('button', { name: /Next task/ }).click();
  await expect(page).toHaveURL(/\/label\/tasks\//);
}

test('a labeler completes a demonstration, a dialogue and a ranking with the mouse', async ({ page, request }, testInfo) => {
  const name = `Mouse ${Date.now().toString(36)}`;
  const projectId = await makeLabelingProject(request, { name });
  const labeler = await makeLabeler(request);
  await signInViaApi(page, labeler);

  // Demonstration
  await startTask(page, projectId, 'Demonstration');
  await expect(page.getByRole('heading', { name: 'Write the ideal answer' })).toBeVisible();
  await page.getByLabel('Your ideal answer (markdown)').fill('Plants **make food** from sunlight.');
  await expect(page.getByLabel('Preview').getByText('make food')).toBeVisible();
  await expectNoHorizontalScroll(page);
  await shot(page, testInfo, 'demonstration');
  await page.getByRole('button', { name: /^Submit/ }).click();
  await expect(page.getByText('Submitted.', { exact: true })).toBeVisible();

  // Dialogue
  await startTask(page, projectId, 'Dialogue');
  await expect(page.getByRole('heading', { name: 'Write a dialogue' })).toBeVisible();
  const suggest = page.getByRole('button', { name: /Suggest assistant turn/ });
  await expect(suggest).toBeDisabled();
  await expect(page.getByText(/No model is active for this project yet/)).toBeVisible();
  await page.getByLabel(/Next turn: assistant/).fill('Plants use sunlight to turn air and water into sugar.');
  await page.getByRole('button', { name: /Add assistant turn/ }).click();
  await expect(page.getByTestId('dialogue-thread').getByText('Plants use sunlight')).toBeVisible();
  await page.getByLabel(/Next turn: user/).fill('Why are leaves green?');
  await page.getByRole('button', { name: /Add user turn/ }).click();
  await expect(page.getByTestId('dialogue-thread').getByText('Why are leaves green?')).toBeVisible();
  await page.getByLabel(/Next turn: assistant/).fill('Chlorophyll reflects green light.');
  await page.getByRole('button', { name: /Add assistant turn/ }).click();
  await expect(page.getByTestId('dialogue-thread').getByText('Chlorophyll reflects green light.')).toBeVisible();
  // branch: an alternative first answer
  await page.getByRole('button', { name: 'Continue from turn 1 (new branch)' }).click();
  await page.getByLabel(/Next turn: assistant/).fill('Sunlight + water + air = plant food.');
  await page.getByRole('button', { name: /Add assistant turn/ }).click();
  await expect(page.getByText('branch 2/2')).toBeVisible();
  await expectNoHorizontalScroll(page);
  await shot(page, testInfo, 'dialogue');
  await page.getByRole('button', { name: /^Submit/ }).click();
  await expect(page.getByText('Submitted.', { exact: true })).toBeVisible();

  // Ranking: drag the last completion to the top, tie the second with it, flag one, rate 5
  await startTask(page, projectId, 'Ranking');
  await expect(page.getByRole('heading', { name: 'Rank the completions' })).toBeVisible();
  const list = page.getByTestId('ranking-list');
  const cards = list.locator('[data-item]');
  await expect(cards).toHaveCount(4);
  const lastIdx = await cards.nth(3).getAttribute('data-item');
  const from = await cards.nth(3).getByRole('button', { name: /^Drag completion/ }).boundingBox();
  const to = await cards.nth(0).getByRole('button', { name: /^Drag completion/ }).boundingBox();
  await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
  await page.mouse.down();
  await page.mouse.move(from!.x + 10, from!.y - 10, { steps: 5 });
  await page.mouse.move(to!.x + to!.width / 2, to!.y + 2, { steps: 20 });
  await page.mouse.up();
  await expect(cards.nth(0)).toHaveAttribute('data-item', lastIdx!);
  const secondIdx = await cards.nth(1).getAttribute('data-item');
  await cards.nth(1).getByRole('checkbox', { name: /tied with the one above/ }).check();
  await cards.nth(3).locator('summary').click();
  await cards.nth(3).getByLabel('Makes up facts (hallucination)').check();
  await page.getByRole('radio', { name: /^5/ }).check();
  await page.getByLabel('Comment (optional)').fill('Two good ones.');
  await expectNoHorizontalScroll(page);
  await shot(page, testInfo, 'ranking');
  await page.getByRole('button', { name: /^Submit/ }).click();
  await expect(page.getByText('Submitted.', { exact: true })).toBeVisible();

  const [j] = await db<{ tiers: number[][]; likert: number; flags: Record<string, string[]>; comment: string; guidelineVersion: number; displayOrder: number[] }>(
    `SELECT j.tiers, j.likert, j.flags, j.comment, j."guidelineVersion", j."displayOrder" FROM "Judgement" j WHERE j."userId" = $1 AND j."projectId" = $2`,
    [labeler.id, projectId],
  );
  expect(j.tiers[0].map(String).sort()).toEqual([lastIdx, secondIdx].sort());
  expect(j.tiers.flat()).toHaveLength(4);
  expect(j.likert).toBe(5);
  expect(Object.values(j.flags)).toEqual([['hallucination']]);
  expect(j.comment).toBe('Two good ones.');
  expect(j.guidelineVersion).toBe(1);
  expect(j.displayOrder).toHaveLength(4);
  const demos = await db(`SELECT text FROM "Demonstration" WHERE "userId" = $1`, [labeler.id]);
  expect(demos).toEqual([{ text: 'Plants **make food** from sunlight.' }]);
  const convo = await db<{ n: number }>(`SELECT count(*)::int AS n FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId" WHERE c."userId" = $1 AND c.submitted`, [labeler.id]);
  expect(convo[0].n).toBe(5); // prompt + 3 turns + 1 branch

  await page.goto('/label');
  await expect(page.getByTestId('count-RANKING')).toHaveText('1');
  await expect(page.getByTestId('count-DEMONSTRATION')).toHaveText('1');
  await expect(page.getByTestId('count-DIALOGUE')).toHaveText('1');
  await expectNoHorizontalScroll(page);
  await shot(page, testInfo, 'labeler-home');
});

test('a labeler ranks with the keyboard only', async ({ page, request }, testInfo) => {
  const name = `Keys ${Date.now().toString(36)}`;
  const projectId = await makeLabelingProject(request, { name, prompts: 1 });
  const labeler = await makeLabeler(request);
  await signInViaApi(page, labeler);
  await page.goto('/label');
  // the newest project is preselected; choose the kind from the keyboard, then N
  await expect(page.getByLabel('Project')).toHaveValue(projectId);
  await tabTo(page, page.getByLabel('Task kind'));
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown'); // Any → Demonstration → Dialogue → Ranking
  await expect(page.getByLabel('Task kind')).toHaveValue('RANKING');
  await page.keyboard.press('Tab');
  await page.keyboard.press('n');
  await expect(page).toHaveURL(/\/label\/tasks\//);
  await expect(page.getByRole('heading', { name: 'Rank the completions' })).toBeVisible();

  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
  await page.keyboard.press('g');
  await expect(page.getByRole('dialog', { name: /Guidelines/ })).toBeVisible();
  await page.keyboard.press('Escape');

  const cards = page.getByTestId('ranking-list').locator('[data-item]');
  const order0 = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-item')));
  // submitting untouched is refused with a clear message
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('submit-error')).toContainText('Rank the completions first');
  // tab to the third card's drag handle, move it up twice, tie the (new) second with the first
  const third = cards.nth(2);
  await tabTo(page, third.getByRole('button', { name: /^Drag completion/ }));
  await page.keyboard.press('Alt+ArrowUp');
  await page.keyboard.press('Alt+ArrowUp');
  await expect(cards.nth(0)).toHaveAttribute('data-item', order0[2]!);
  await page.keyboard.press('Shift+Tab'); // back from the moved card to the card above it
  await tabTo(page, cards.nth(1).getByRole('button', { name: /^Drag completion/ }));
  await page.keyboard.press('=');
  await expect(cards.nth(1).getByRole('checkbox', { name: /tied with the one above/ })).toBeChecked();
  await page.keyboard.press('f');
  await page.keyboard.press('b');
  await expect(page.getByRole('checkbox', { name: /All completions are bad/ })).toBeChecked();
  await shot(page, testInfo, 'ranking-keyboard');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText('Submitted.', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: /Next task/ })).toBeFocused();

  const [j] = await db<{ tiers: number[][]; allBad: boolean }>(`SELECT tiers, "allBad" FROM "Judgement" WHERE "userId" = $1 AND "projectId" = $2`, [labeler.id, projectId]);
  expect(j.tiers).toEqual([[Number(order0[2]), Number(order0[0])], [Number(order0[1])], [Number(order0[3])]]);
  expect(j.allBad).toBe(true);
});

test('a reload mid-draft keeps the text, and a submit after the lease expired keeps the work', async ({ page, request }, testInfo) => {
  const name = `Draft ${Date.now().toString(36)}`;
  const projectId = await makeLabelingProject(request, { name, prompts: 1, sets: 0 });
  const labeler = await makeLabeler(request);
  await signInViaApi(page, labeler);
  await startTask(page, projectId, 'Demonstration');
  const taskUrl = page.url();
  await page.getByLabel('Your ideal answer (markdown)').fill('A draft that must survive a reload.');
  await expect(page.getByTestId('save-status')).toContainText('Draft saved');
  await page.reload();
  await expect(page.getByLabel('Your ideal answer (markdown)')).toHaveValue('A draft that must survive a reload.');

  // the lease runs out while the labeler is still writing
  await page.getByLabel('Your ideal answer (markdown)').fill('Finished after the lease ran out.');
  const taskId = taskUrl.split('/').pop()!;
  await db(`UPDATE "Assignment" SET "expiresAt" = now() AT TIME ZONE 'UTC' - interval '1 minute' WHERE "taskId" = $1 AND "userId" = $2`, [taskId, labeler.id]);
  await page.getByRole('button', { name: /^Submit/ }).click();
  await expect(page.getByTestId('submit-error')).toContainText('lease on this task expired');
  await shot(page, testInfo, 'lease-expired');
  const [a] = await db<{ draft: { text: string }; status: string }>(`SELECT draft, status FROM "Assignment" WHERE "taskId" = $1 AND "userId" = $2`, [taskId, labeler.id]);
  expect(a.draft.text).toBe('Finished after the lease ran out.');
  await page.getByRole('button', { name: 'Resume this task' }).click();
  await expect(page.getByRole('button', { name: 'Resume this task' })).toBeHidden();
  await page.getByRole('button', { name: /^Submit/ }).click();
  await expect(page.getByText('Submitted.', { exact: true })).toBeVisible();
  expect(await db(`SELECT text FROM "Demonstration" WHERE "taskId" = $1`, [taskId])).toEqual([{ text: 'Finished after the lease ran out.' }]);
});
