// Issue #16 §1–4, 9, 10 on the labeler's pages, each sequence driven as a person would and
// checked in the database: no shortcut acts behind an open dialog, letter keys never act from
// a control, submit and Alt+Enter store once, a dialogue reopens on the branch it was on, the
// chosen task kind holds for N and after a skip, errors show above the sticky bar and go once
// fixed, long prompts collapse, and the pages fit a phone. Screenshots at 1440×900 and 390×844.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, gotoReady, signInViaApi, test } from '../fixtures';
import { db, expectNoHorizontalScroll, makeLabeler, makeLabelingProject, shot } from './helpers';

test.describe.configure({ mode: 'serial' });

type Kind = 'DEMONSTRATION' | 'DIALOGUE' | 'RANKING';
const TITLE: Record<Kind, string> = { DEMONSTRATION: 'Write the ideal answer', DIALOGUE: 'Write a dialogue', RANKING: 'Rank the completions' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// One project per purpose, made once for the file. Keys: rankings are rare in the mix, so a
// "next task" that forgot the chosen kind would almost surely bring a demonstration or dialogue.
let keysProject: string | undefined;
let longProject: string | undefined;
const LONG_PROMPT = Array.from({ length: 200 }, (_, i) => `Paragraph ${i + 1}: the history of bread, told slowly, with flour, water, salt and time in every line.`)
  .join('\n\n')
  .slice(0, 19_990)
  .padEnd(20_000, '.');

async function keys(request: APIRequestContext) {
  keysProject ??= await makeLabelingProject(request, { name: `Keys safety ${Date.now().toString(36)}`, prompts: 6, sets: 6, mix: { mixDemonstration: 20, mixDialogue: 20, mixRanking: 1 } });
  return keysProject;
}
async function long(request: APIRequestContext) {
  longProject ??= await makeLabelingProject(request, {
    name: `Long content ${Date.now().toString(36)}`,
    promptTexts: [LONG_PROMPT, 'Why is the sky blue?', 'Name three rivers.'],
    sets: 2,
    completions: [
      'Short and right.',
      `A long answer.\n\n${'It goes on and on about the sky. '.repeat(60)}`,
      '| colour | wavelength |\n| --- | --- |\n| blue | 450 nm |\n| red | 700 nm |',
      '```js\nconst sky = "blue"; // a long line of code that must scroll inside its box, never widen the page at all\n```',
    ],
  });
  return longProject;
}

async function startTask(page: Page, projectId: string, kind: Kind): Promise<string> {
  await gotoReady(page, '/label');
  await page.getByLabel('Project').selectOption(projectId);
  await page.getByLabel('Task kind').selectOption(kind);
  await page.getByRole('button', { name: /Next task/ }).click();
  await expect(page).toHaveURL(/\/label\/tasks\//);
  await expect(page.getByRole('heading', { name: TITLE[kind] })).toBeVisible();
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  return new URL(page.url()).pathname.split('/').pop()!;
}

const judgements = async (userId: string) => (await db<{ n: number }>(`SELECT count(*)::int AS n FROM "Judgement" WHERE "userId" = $1`, [userId]))[0].n;

test('ranking: shortcuts stay off behind a dialog and on controls, submit stores once, and the chosen kind holds for N and after a skip', async ({ page, request }) => {
  const projectId = await keys(request);
  const labeler = await makeLabeler(request);
  await signInViaApi(page, labeler);
  const first = await startTask(page, projectId, 'RANKING');
  const list = page.getByTestId('ranking-list');
  const cards = list.locator('[data-item]');
  const allBad = page.getByRole('checkbox', { name: /All completions are bad/ });
  const skipDialog = page.getByRole('dialog', { name: 'Skip this task' });

  // §10: no rank numbers while the page says "not ranked yet"
  await expect(page.getByText('not ranked yet')).toBeVisible();
  await expect(list).not.toContainText('#1');
  await page.keyboard.press('o'); // focus is on the page: O keeps the shown order
  await expect(page.getByText('4 ranks')).toBeVisible();
  await expect(cards.first()).toContainText('#1');

  // §1: S opens Skip; Ctrl+Enter and letters behind it do nothing
  await page.keyboard.press('s');
  await expect(skipDialog).toBeVisible();
  await expect(skipDialog.getByRole('radio', { checked: true })).toHaveCount(0); // §10: no reason chosen for the labeler
  await expect(skipDialog.getByRole('button', { name: 'Skip task' })).toBeDisabled();
  await page.keyboard.press('Control+Enter');
  await page.keyboard.press('b');
  await sleep(600);
  expect(await judgements(labeler.id)).toBe(0);
  await expect(skipDialog).toBeVisible();
  await expect(page.getByText('Submitted.', { exact: true })).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(skipDialog).toBeHidden();
  await expect(allBad).not.toBeChecked();

  // §2: typing with focus on "Clear rating" toggles nothing; Space presses that button only
  await page.getByRole('radio', { name: /^5/ }).check();
  const clear = page.getByRole('button', { name: 'Clear rating' });
  await clear.focus();
  await page.keyboard.type('bs ');
  await expect(allBad).not.toBeChecked();
  await expect(skipDialog).toBeHidden();
  await expect(page.getByRole('radio', { name: /^5/ })).not.toBeChecked(); // Space pressed "Clear rating"
  await expect(page.getByRole('radio', { name: /^1/ })).toBeFocused(); // focus stays on a control, not the page
  await page.keyboard.type('bs');
  await expect(allBad).not.toBeChecked();
  await expect(skipDialog).toBeHidden();
  // a card's drag handle is a shortcut target for the card's keys only
  await cards.nth(1).getByRole('button', { name: /^Drag completion/ }).focus();
  await page.keyboard.press('=');
  await expect(cards.nth(1).getByRole('checkbox', { name: /tied with the one above/ })).toBeChecked();
  await page.keyboard.press('b');
  await expect(allBad).not.toBeChecked();
  // Esc leaves the control; then letter keys act again
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await expect(allBad).toBeChecked();
  await expect(page.getByTestId('bar-notice')).toContainText('"All completions are bad" is on'); // said where the eye is
  await page.keyboard.press('b');
  await expect(allBad).not.toBeChecked();

  // §3: two quick Ctrl+Enter send one request, and the inputs are locked while it runs
  let submits = 0;
  await page.route('**/api/tasks/*/submit', async (route) => {
    submits++;
    await sleep(800);
    await route.continue();
  });
  const comment = page.getByLabel('Comment (optional)');
  await comment.fill('One request.');
  await page.keyboard.press('Control+Enter');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('button', { name: /Submitting/ })).toBeDisabled();
  await expect(comment).toBeDisabled();
  await expect(page.getByText('Submitted.', { exact: true })).toBeVisible();
  await page.unroute('**/api/tasks/*/submit');
  expect(submits).toBe(1);
  const [j] = await db<{ tiers: number[][]; allBad: boolean; comment: string }>(`SELECT tiers, "allBad", comment FROM "Judgement" WHERE "userId" = $1`, [labeler.id]);
  expect(j.allBad).toBe(false);
  expect(j.comment).toBe('One request.');
  expect(j.tiers).toHaveLength(3); // four completions, the second tied with the first

  // §4: N brings another ranking, as chosen on the task list
  await expect(page.getByRole('button', { name: /Next task/ })).toBeFocused();
  await page.keyboard.press('n');
  await expect(page).not.toHaveURL(new RegExp(first));
  await expect(page.getByRole('heading', { name: TITLE.RANKING })).toBeVisible();
  const second = new URL(page.url()).pathname.split('/').pop()!;
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });

  // ...and so does the next task after a skip; the reason is the one chosen
  await page.keyboard.press('s');
  await expect(skipDialog).toBeVisible();
  await skipDialog.getByRole('radio', { name: 'Needs expertise I do not have' }).check();
  await skipDialog.getByRole('button', { name: 'Skip task' }).click();
  await expect(page).not.toHaveURL(new RegExp(second));
  await expect(page.getByRole('heading', { name: TITLE.RANKING })).toBeVisible();
  const [skipped] = await db<{ status: string; skipReason: string }>(`SELECT status, "skipReason" FROM "Assignment" WHERE "taskId" = $1 AND "userId" = $2`, [second, labeler.id]);
  expect(skipped).toEqual({ status: 'SKIPPED', skipReason: 'Needs expertise I do not have' });
  const kinds = await db<{ kind: string }>(`SELECT t.kind FROM "Assignment" a JOIN "Task" t ON t.id = a."taskId" WHERE a."userId" = $1`, [labeler.id]);
  expect(kinds.map((k) => k.kind)).toEqual(['RANKING', 'RANKING', 'RANKING']);
});

test('dialogue: Alt+Enter stores one turn, under the parent shown, and the task reopens on its branch', async ({ page, request }) => {
  const projectId = await keys(request);
  const labeler = await makeLabeler(request);
  await signInViaApi(page, labeler);
  const taskId = await startTask(page, projectId, 'DIALOGUE');
  const thread = page.getByTestId('dialogue-thread');
  const box = page.locator('#composer');
  const turns = () =>
    db<{ id: string; role: string; text: string; parentId: string | null }>(
      `SELECT m.id, m.role, m.text, m."parentId" FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId" WHERE c."userId" = $1 AND NOT m."isSuggestion" ORDER BY m."createdAt"`,
      [labeler.id],
    );
  const [prompt] = await turns();

  // §3: two quick Alt+Enter, and typing while "Adding…", store one assistant turn under the prompt
  let adds = 0;
  await page.route('**/api/conversations/*/messages', async (route) => {
    adds++;
    await sleep(800);
    await route.continue();
  });
  await box.fill('Plants make sugar from light.');
  await expect(page.getByTestId('save-status')).toContainText('Draft saved'); // the unsent text is in the draft
  await box.press('Alt+Enter');
  await page.keyboard.press('Alt+Enter');
  await expect(page.getByRole('button', { name: /Adding/ })).toBeVisible();
  await expect(box).toHaveAttribute('readonly', '');
  await page.keyboard.type('Why are leaves green?');
  await page.keyboard.press('Alt+Enter');
  await expect(thread.getByText('Plants make sugar from light.')).toBeVisible();
  await expect(page.getByLabel(/Next turn: user/)).toHaveValue('');
  await page.unroute('**/api/conversations/*/messages');
  expect(adds).toBe(1);
  let stored = await turns();
  expect(stored.slice(1).map(({ role, text, parentId }) => ({ role, text, parentId }))).toEqual([{ role: 'ASSISTANT', text: 'Plants make sugar from light.', parentId: prompt.id }]);

  // a second branch at turn 2, then leave at once with "Save and leave" (no page unload)
  await box.fill('Why are leaves green?');
  await box.press('Alt+Enter');
  await expect(thread.getByText('Why are leaves green?')).toBeVisible();
  await page.getByRole('button', { name: 'Continue from turn 1 (new branch)' }).click();
  await expect(page.getByText(/already goes on in 1 branch/)).toBeVisible();
  await box.fill('Sunlight, water and air become food.');
  await expect(page.getByTestId('save-status')).toContainText('Draft saved');
  await box.press('Alt+Enter');
  await expect(page.getByText('branch 2/2')).toBeVisible();
  await page.getByRole('link', { name: 'Save and leave' }).click();
  await expect(page).toHaveURL(/\/label$/);

  // §4: the stored position is the last added turn with an empty box
  stored = await turns();
  const last = stored[stored.length - 1];
  expect(last).toMatchObject({ role: 'ASSISTANT', text: 'Sunlight, water and air become food.', parentId: prompt.id });
  await expect.poll(async () => (await db<{ draft: { leafId: string; text: string } }>(`SELECT draft FROM "Assignment" WHERE "taskId" = $1 AND "userId" = $2`, [taskId, labeler.id]))[0].draft).toMatchObject({ leafId: last.id, text: '' });

  // reopened: the branch it was on, an empty box, and the first branch one click away
  await gotoReady(page, `/label/tasks/${taskId}`);
  await expect(thread.getByText('Sunlight, water and air become food.')).toBeVisible();
  await expect(page.getByLabel(/Next turn: user/)).toHaveValue('');
  await page.getByRole('button', { name: 'Previous branch at turn 2' }).click();
  await expect(thread.getByText('Why are leaves green?')).toBeVisible();
  // "Continue from here" on an earlier turn keeps the later turns reachable
  await page.getByRole('button', { name: 'Continue from turn 2 (new branch)' }).click();
  await expect(thread.getByText('Why are leaves green?')).toBeHidden();
  await page.getByRole('button', { name: 'Show the existing branch' }).click();
  await expect(thread.getByText('Why are leaves green?')).toBeVisible();
});

test.describe('at 1440×900', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('long prompts collapse, errors show above the sticky bar and clear once fixed, a focused field stays above the bar, Save and leave saves', async ({ page, request }, testInfo) => {
    const projectId = await long(request);
    const labeler = await makeLabeler(request);
    await signInViaApi(page, labeler);
    const bar = page.getByRole('button', { name: /^Submit/ });

    await startTask(page, projectId, 'DEMONSTRATION');
    await expect(page.getByRole('button', { name: /Show more \(20,000 characters\)/ })).toBeVisible();
    const answer = page.getByLabel('Your ideal answer (markdown)');
    const top = await answer.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    expect(top, 'the answer box sits near the top, not under the whole prompt').toBeLessThan(1400);
    await page.mouse.wheel(0, 400);
    await bar.click();
    const error = page.getByTestId('submit-error');
    await expect(error).toContainText('Write an answer first');
    await expect(error).toBeInViewport();
    const [eBox, bBox] = [await error.boundingBox(), await bar.boundingBox()];
    expect(eBox!.y + eBox!.height, 'the error sits above the submit button').toBeLessThanOrEqual(bBox!.y);
    // the faulty field is marked, tied to the message, and has the focus
    await expect(answer).toHaveAttribute('aria-invalid', 'true');
    await expect(answer).toHaveAttribute('aria-describedby', /submit-error/);
    await expect(answer).toBeFocused();
    await shot(page, testInfo, 'desktop-demonstration-error');
    await answer.fill('Bread is flour, water, salt and time.');
    await expect(error).toBeHidden();
    await expect(answer).not.toHaveAttribute('aria-invalid', 'true');
    await expectNoHorizontalScroll(page);
    await shot(page, testInfo, 'desktop-demonstration');
    await bar.click();
    await expect(page.getByText('Submitted.', { exact: true })).toBeVisible();

    await startTask(page, projectId, 'RANKING');
    // a focused comment box is never under the sticky bar
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByLabel('Comment (optional)').focus();
    const c = await page.getByLabel('Comment (optional)').boundingBox();
    const b = await page.getByRole('button', { name: /^Submit/ }).boundingBox();
    expect(c!.y + c!.height, 'the comment box is above the bar').toBeLessThanOrEqual(b!.y - 8);
    await expectNoHorizontalScroll(page);
    await shot(page, testInfo, 'desktop-ranking');
    await page.keyboard.press('Escape');
    await page.keyboard.press('o');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByText('Submitted.', { exact: true })).toBeVisible();

    const dialogueTask = await startTask(page, projectId, 'DIALOGUE');
    await expectNoHorizontalScroll(page);
    await shot(page, testInfo, 'desktop-dialogue');
    // "Save and leave" right after typing keeps what was typed
    await page.locator('#composer').fill('Typed just before leaving.');
    await page.getByRole('link', { name: 'Save and leave' }).click();
    await expect(page).toHaveURL(/\/label$/);
    await expect
      .poll(async () => (await db<{ draft: { text?: string } | null }>(`SELECT draft FROM "Assignment" WHERE "taskId" = $1 AND "userId" = $2`, [dialogueTask, labeler.id]))[0].draft?.text)
      .toBe('Typed just before leaving.');
  });
});

test.describe('on a 390×844 phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('labeler pages fit the screen: whole stat labels, a two-row ranking header, a compact bar, no key hints', async ({ page, request }, testInfo) => {
    const projectId = await long(request);
    const labeler = await makeLabeler(request);
    await signInViaApi(page, labeler);

    await gotoReady(page, '/label');
    expect(await page.evaluate(() => matchMedia('(hover: none) and (pointer: coarse)').matches), 'a touch screen').toBe(true);
    await expectNoHorizontalScroll(page);
    const clipped = await page.locator('[data-testid^="count-"] + div').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent));
    expect(clipped, 'stat labels are whole').toEqual([]);
    await expect(page.locator('kbd').filter({ visible: true })).toHaveCount(0);
    await shot(page, testInfo, 'phone-labeler-home', { fullPage: false });

    const barHeight = () => page.getByRole('button', { name: /^Submit/ }).evaluate((el) => el.closest('[class*="submitBar"]')!.getBoundingClientRect().height);

    await startTask(page, projectId, 'RANKING');
    await expectNoHorizontalScroll(page);
    const header = await page.locator('#rank-h').evaluate((el) => el.parentElement!.getBoundingClientRect().height);
    const row = await page.getByRole('button', { name: 'Keep this order' }).evaluate((el) => el.getBoundingClientRect().height);
    expect(header, 'the ranking header takes at most two rows').toBeLessThan(row * 2 + 24);
    await expect(page.locator('kbd').filter({ visible: true })).toHaveCount(0);
    expect(await barHeight(), 'the submit bar is compact').toBeLessThanOrEqual(64);
    await shot(page, testInfo, 'phone-ranking', { fullPage: false });
    await page.getByRole('button', { name: 'Keep this order' }).click();
    await page.getByRole('button', { name: /^Submit/ }).click();
    await expect(page.getByText('Submitted.', { exact: true })).toBeVisible();

    await startTask(page, projectId, 'DEMONSTRATION');
    await expectNoHorizontalScroll(page);
    expect(await barHeight()).toBeLessThanOrEqual(64);
    await shot(page, testInfo, 'phone-demonstration', { fullPage: false });

    await startTask(page, projectId, 'DIALOGUE');
    await expectNoHorizontalScroll(page);
    await shot(page, testInfo, 'phone-dialogue', { fullPage: false });

    // with recent work listed, and the guidelines page
    await gotoReady(page, '/label');
    await expect(page.getByRole('heading', { name: 'Recent work' })).toBeVisible();
    await expectNoHorizontalScroll(page); // a long prompt's snippet in "In progress" is cut, not wider than the screen
    await page.getByRole('heading', { name: 'In progress' }).scrollIntoViewIfNeeded();
    await shot(page, testInfo, 'phone-labeler-home-with-work', { fullPage: false });
    await gotoReady(page, `/label/guidelines/${projectId}`);
    await expectNoHorizontalScroll(page);
    await shot(page, testInfo, 'phone-guidelines', { fullPage: false });
  });
});
