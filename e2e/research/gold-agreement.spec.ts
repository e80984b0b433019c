// Gold honeypots as a project runs them: an admin sets 1 gold task in 4 and marks two gold
// orders; two labelers work through the API (one ranks gold sets as gold does, one reverses
// them); the quality page shows each one's gold accuracy and flags the sloppy one; the admin
// excludes that labeler from the next snapshot, sees it on the page, and undoes it.
import { mkdir, writeFile } from 'node:fs/promises';
import type { Page, TestInfo } from '@playwright/test';
import { test, expect, E2E_ADMIN, gotoReady, uniqueEmail } from '../fixtures';
import { HoneClient } from '../../lib/sim/client';

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const body = await page.screenshot({ fullPage: true });
  await testInfo.attach(name, { body, contentType: 'image/png' });
  await mkdir('test-results/gold-screenshots', { recursive: true });
  await writeFile(`test-results/gold-screenshots/${name}.png`, body);
}

const GOLD = [[0], [1], [2], [3]];

/** Takes and submits `n` rankings; gold sets get `onGold`, the others the first-shown order. */
async function work(labeler: HoneClient, projectId: string, goldIds: string[], n: number, onGold: number[][]): Promise<number> {
  let gold = 0;
  for (let i = 0; i < n; i++) {
    const next = await labeler.post<{ task: { taskId: string } | null }>('/api/tasks/next', { projectId, kind: 'RANKING' });
    expect(next.task, `task ${i + 1}`).not.toBeNull();
    const { task } = await labeler.get<{ task: { ranking: { setId: string; displayOrder: number[] } } }>(`/api/tasks/${next.task!.taskId}`);
    const isGold = goldIds.includes(task.ranking.setId);
    if (isGold) gold++;
    const tiers = isGold ? onGold : task.ranking.displayOrder.map((c) => [c]);
    await labeler.post(`/api/tasks/${next.task!.taskId}/submit`, { kind: 'RANKING', tiers, allBad: false, flags: {}, timeMs: 4000 });
  }
  return gold;
}

test('the quality page shows gold accuracy, flags a labeler below the bar, and an admin excludes them from the next snapshot', async ({ adminPage: page, baseURL }, testInfo) => {
  const admin = await HoneClient.signIn(baseURL!, E2E_ADMIN.email, E2E_ADMIN.password);
  const tag = Math.random().toString(36).slice(2, 8);
  const { project } = await admin.post<{ project: { id: string } }>('/api/projects', {
    name: `Gold honeypots ${tag}`, guidelines: '# Rank by helpfulness', k: 4, overlap: 1,
    mixDemonstration: 0, mixDialogue: 0, mixRanking: 1, goldShare: 0.25, goldMinAccuracy: 0.75,
  });
  const sets = Array.from({ length: 16 }, (_, i) => JSON.stringify({ prompt: `Name a fruit (${tag} #${i})`, completions: ['Apple.', 'A banana is a fruit.', 'I do not know.', 'Cars are fruit.'], model: 'e2e-model' })).join('\n');
  await admin.request('POST', `/api/projects/${project.id}/completion-sets/import`, sets, { 'content-type': 'application/jsonl' });
  const { sets: candidates } = await admin.get<{ sets: { id: string }[] }>(`/api/gold?projectId=${project.id}&show=candidates`);
  const goldIds = candidates.slice(0, 2).map((s) => s.id);
  for (const id of goldIds) await admin.request('PUT', `/api/gold/${id}`, { tiers: GOLD });

  const people = { good: 'Gus Good', sloppy: 'Sam Sloppy' };
  const ids: Record<string, string> = {};
  for (const [key, name] of Object.entries(people)) {
    const email = uniqueEmail(`gold-${key}`);
    const { user } = await admin.post<{ user: { id: string } }>('/api/admin/users', { email, name, password: 'gold-labeler-password-1', role: 'LABELER' });
    ids[key] = user.id;
    const labeler = await HoneClient.signIn(baseURL!, email, 'gold-labeler-password-1');
    // 1 in 4: the 4th and 8th rankings are the two gold sets, for both labelers (overlap 1 notwithstanding)
    const served = await work(labeler, project.id, goldIds, 8, key === 'good' ? GOLD : [[3], [2], [1], [0]]);
    expect(served, `${name}'s gold tasks`).toBe(2);
  }

  await gotoReady(page, `/research/quality?projectId=${project.id}`);
  const gold = page.getByTestId('gold-labelers');
  await expect(gold.getByText('Gold honeypots: 1 in 4 ranking tasks · 2 gold sets')).toBeVisible();
  const sloppy = page.getByTestId(`gold-row-${ids.sloppy}`);
  const good = page.getByTestId(`gold-row-${ids.good}`);
  // two gold sets × 6 non-tied pairs: the reversed labeler has none right, the careful one all
  await expect(sloppy).toContainText('Sam Sloppy');
  await expect(sloppy.getByRole('cell').nth(0)).toHaveText('0%');
  await expect(sloppy.getByRole('cell').nth(1)).toHaveText('12');
  await expect(sloppy.getByText('Below gold bar')).toBeVisible();
  await expect(good.getByRole('cell').nth(0)).toHaveText('100%');
  await expect(good.getByText('Below gold bar')).toHaveCount(0);
  await expect(gold.getByRole('status')).toContainText('Sam Sloppy is below the gold bar (75% of gold pairs ordered as gold)');
  await gold.scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'quality-gold-flagged');

  await sloppy.getByRole('button', { name: 'Exclude Sam Sloppy from the next snapshot' }).click();
  await expect(sloppy.getByText('Excluded from next snapshot')).toBeVisible();
  const { exclusions } = await admin.get<{ exclusions: { userId: string }[] }>(`/api/quality/exclusions?projectId=${project.id}`);
  expect(exclusions.map((e) => e.userId)).toEqual([ids.sloppy]);
  await shot(page, testInfo, 'quality-gold-excluded');

  await sloppy.getByRole('button', { name: 'Include Sam Sloppy in the next snapshot' }).click();
  await expect(sloppy.getByText('Excluded from next snapshot')).toHaveCount(0);
  await expect(sloppy.getByRole('button', { name: 'Exclude Sam Sloppy from the next snapshot' })).toBeVisible();
});
