// The visual pass: every main page at desktop (1440×900) and phone (390×844) width, attached to
// the test report and copied to test-results/visual/ so a person can look through them. Labeler
// pages must fit the phone without horizontal scrolling; every page must render without an error.
import type { Page, TestInfo } from '@playwright/test';
import { E2E_ADMIN, expect, signInViaApi, test, waitForHydration } from '../fixtures';
import { db, makeLabeler, makeLabelingProject } from '../labeling/helpers';

test.describe.configure({ mode: 'serial' });

const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;

async function capture(page: Page, testInfo: TestInfo, name: string, opts: { fitPhone: boolean }): Promise<void> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir('test-results/visual', { recursive: true });
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    const body = await page.screenshot({ fullPage: true });
    await testInfo.attach(`${name}-${size}`, { body, contentType: 'image/png' });
    await writeFile(`test-results/visual/${name}-${size}.png`, body);
    if (size === 'phone' && opts.fitPhone) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name} scrolls sideways on a phone`).toBeLessThanOrEqual(0);
    }
  }
  await page.setViewportSize(SIZES.desktop);
}

async function open(page: Page, url: string): Promise<void> {
  const res = await page.goto(url);
  expect(res?.status(), `${url} answered ${res?.status()}`).toBeLessThan(400);
  await waitForHydration(page);
  await expect(page.locator('h1').first()).toBeVisible();
}

let projectId = '';

test('labeler pages at desktop and phone width', async ({ page, request }, testInfo) => {
  projectId = await makeLabelingProject(request, { name: `Visual ${Date.now().toString(36)}` });
  const labeler = await makeLabeler(request);
  await signInViaApi(page, labeler);
  await open(page, '/label');
  await capture(page, testInfo, 'label-home', { fitPhone: true });
  await open(page, `/label/guidelines/${projectId}`);
  await capture(page, testInfo, 'label-guidelines', { fitPhone: true });
  for (const kind of ['DEMONSTRATION', 'DIALOGUE', 'RANKING'] as const) {
    const res = await page.request.post('/api/tasks/next', { data: { projectId, kind } });
    expect(res.ok(), await res.text()).toBe(true);
    const { task } = (await res.json()) as { task: { taskId: string } | null };
    expect(task, `a ${kind} task`).not.toBeNull();
    await open(page, `/label/tasks/${task!.taskId}`);
    await capture(page, testInfo, `task-${kind.toLowerCase()}`, { fitPhone: true });
  }
});

test('admin and research pages at desktop and phone width', async ({ page }, testInfo) => {
  test.setTimeout(180_000); // 14 pages × 2 sizes: past 60 s on a loaded machine
  await signInViaApi(page, E2E_ADMIN);
  // An arena evaluation still writing its replies (no votes yet): the page's header and empty tables.
  const arenaId = `visual-arena-${Date.now().toString(36)}`;
  await db(`INSERT INTO "ArenaEvaluation" (id, "projectId", name) VALUES ($1, $2, 'Visual arena')`, [arenaId, projectId]);
  const pages: [string, string][] = [
    ['admin-projects', '/admin/projects'],
    ['admin-project', `/admin/projects/${projectId}`],
    ['admin-users', '/admin/users'],
    ['admin-rounds', '/admin/rounds'],
    ['admin-checkpoints', '/admin/checkpoints'],
    ['admin-workers', '/admin/workers'],
    ['admin-gold', '/admin/gold'],
    ['admin-audit', '/admin/audit'],
    ['research', '/research'],
    ['research-quality', '/research/quality'],
    ['data-browser', `/data/${projectId}`],
    ['account-tokens', '/account/tokens'],
    ['admin-arena', '/admin/arena'],
    ['admin-arena-evaluation', `/admin/arena/${arenaId}`],
  ];
  for (const [name, url] of pages) {
    await open(page, url);
    await capture(page, testInfo, name, { fitPhone: false });
  }
});
