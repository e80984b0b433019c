// Set-up for the labeling specs: a project with prompts and completion sets made through the
// admin API, a fresh labeler, and a read-only look at the e2e database to check what was stored.
import type { APIRequestContext, Locator, Page, TestInfo } from '@playwright/test';
import pg from 'pg';
import { E2E_ADMIN, createUserViaApi, expect, uniqueEmail } from '../fixtures';

type ProjectOpts = {
  name?: string;
  prompts?: number;
  sets?: number;
  /** Task mix weights (default 1 each). */
  mix?: { mixDemonstration?: number; mixDialogue?: number; mixRanking?: number };
  /** Prompt texts instead of the generated ones. */
  promptTexts?: string[];
  /** The completions of every set (default four short ones). */
  completions?: string[];
};

export async function makeLabelingProject(request: APIRequestContext, opts: ProjectOpts = {}): Promise<string> {
  const signedIn = await request.post('/api/auth/sign-in/email', { data: E2E_ADMIN });
  expect(signedIn.ok()).toBe(true);
  const tag = Math.random().toString(36).slice(2, 8);
  const created = await request.post('/api/projects', {
    data: { name: opts.name ?? `Labeling ${tag}`, guidelines: '# Guidelines\n\nBe **helpful**, honest and harmless.', k: 4, overlap: 3, ...opts.mix },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { project } = (await created.json()) as { project: { id: string } };
  const texts = opts.promptTexts ?? Array.from({ length: opts.prompts ?? 3 }, (_, i) => `Explain photosynthesis to a child (${tag} #${i})`);
  const prompts = texts.map((text) => JSON.stringify({ text, tags: ['science'] })).join('\n');
  const p = await request.post(`/api/projects/${project.id}/prompts/import`, { headers: { 'content-type': 'application/jsonl' }, data: prompts });
  expect(p.ok(), await p.text()).toBe(true);
  if ((opts.sets ?? 3) > 0) {
  const sets = Array.from({ length: opts.sets ?? 3 }, (_, i) =>
    JSON.stringify({ prompt: `Name a fruit (${tag} #${i})`, completions: opts.completions ?? ['Apple.', 'A banana is a fruit.', 'I do not know.', 'Cars are fruit.'], model: 'e2e-model' }),
  ).join('\n');
  const s = await request.post(`/api/projects/${project.id}/completion-sets/import`, { headers: { 'content-type': 'application/jsonl' }, data: sets });
  expect(s.ok(), await s.text()).toBe(true);
  }
  await request.post('/api/auth/sign-out', { headers: { origin: new URL(signedIn.url()).origin }, data: {} });
  return project.id;
}

export async function makeLabeler(request: APIRequestContext) {
  const user = { email: uniqueEmail('labeler'), password: 'labeler-password-1', name: 'Lena Labeler', role: 'LABELER' as const };
  const created = await createUserViaApi(request, user);
  return { ...user, id: created.id };
}

export async function db<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const url = new URL(process.env.HONE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/hone_e2e_${process.env.E2E_PORT ?? '3100'}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A screenshot attached to the report; `fullPage: false` keeps to the viewport (a touch
 * emulation's media queries do not survive Chromium's full-page capture). */
export async function shot(page: Page, testInfo: TestInfo, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  const body = await page.screenshot({ fullPage: opts.fullPage ?? true });
  await testInfo.attach(name, { body, contentType: 'image/png' });
  const { writeFile, mkdir } = await import('node:fs/promises');
  // also a stable copy outside Playwright's per-test folders (which a rerun clears)
  const dir = process.env.LABELING_SCREENSHOTS ?? 'test-results/labeling-screenshots';
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}/${name}.png`, body);
}

/** No horizontal scrolling at the current viewport. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'page scrolls horizontally').toBeLessThanOrEqual(0);
}

/** Presses Tab until `target` has focus (keyboard-only navigation). */
export async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('could not reach the control with Tab');
}
