// The loop in the browser: an admin launches a round on the nano preset, watches its progress
// move, promotes the published policy, and a labeler's next ranking task shows completions
// sampled by that policy. The project and its first labels come from simulated labelers
// working the same JSON API (lib/sim).
import { test, expect, E2E_ADMIN, uniqueEmail } from '../fixtures';
import { HoneClient } from '../../lib/sim/client';
import { createLabelers, createSimProject } from '../../lib/sim/setup';
import { runLabelers } from '../../lib/sim/labelers';

test.setTimeout(900_000);

test('an admin launches a round, watches it, promotes the policy; the next ranking task holds its completions', async ({ adminPage: page, baseURL, browser }) => {
  const admin = await HoneClient.signIn(baseURL!, E2E_ADMIN.email, E2E_ADMIN.password);
  const name = `Loop e2e ${Date.now().toString(36)}`;
  const project = await createSimProject(admin, { name, prompts: 20, k: 4, overlap: 1 });
  const labelers = await createLabelers(admin, 2, 'e2e-loop');
  const work = await runLabelers({ baseUrl: baseURL!, labelers, projectId: project.id, noise: 0.1 });
  expect(work.rankings).toBeGreaterThan(0);

  await page.goto('/admin/rounds');
  await expect(page.getByRole('heading', { name: 'Training rounds' })).toBeVisible();
  await page.getByLabel('Project').selectOption({ label: name });
  await page.getByLabel('Start from').selectOption('new');
  await page.getByLabel('Model preset').selectOption('nano');
  const settings: Record<string, string> = {
    'pretrain.steps': '10',
    'pretrain.batchSize': '4',
    'sft.steps': '20',
    'sft.batchSize': '4',
    'rm.steps': '12',
    'rm.batchSize': '4',
    'ppo.steps': '8',
    'ppo.batchSize': '4',
    'ppo.miniBatchSize': '4',
    'ppo.maxNewTokens': '12',
    'ppo.checkpointEvery': '2',
    'evaluate.prompts': '4',
    'evaluate.maxNewTokens': '12',
  };
  for (const summary of ['Base pretraining', 'SFT', 'Reward model', 'PPO', 'Evaluate']) await page.locator('summary', { hasText: `Settings: ${summary}` }).click();
  for (const [field, value] of Object.entries(settings)) await page.getByLabel(field, { exact: true }).fill(value);
  // A setting out of range is refused on its field (marked and focused), and nothing is launched.
  await page.getByLabel('ppo.steps', { exact: true }).fill('-1');
  await page.getByRole('button', { name: 'Launch round' }).click();
  await expect(page.getByRole('button', { name: 'Launch round' }).locator('..').getByRole('alert')).toHaveText('Fix the field marked above, then try again.');
  await expect(page.getByLabel('ppo.steps', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('ppo.steps', { exact: true })).toBeFocused();
  await page.getByLabel('ppo.steps', { exact: true }).fill(settings['ppo.steps']);
  await page.getByRole('button', { name: 'Launch round' }).click();
  await expect(page).toHaveURL(/\/admin\/rounds\/c[a-z0-9]+$/, { timeout: 60_000 });
  const roundId = page.url().split('/').pop()!;

  // Progress moves: some stage's bar goes above 0 before the round ends.
  await expect
    .poll(async () => {
      const bars = page.getByRole('progressbar');
      const values = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('aria-valuenow'))));
      return values.some((v) => v > 0);
    }, { timeout: 300_000 })
    .toBe(true);
  await expect(page.getByRole('heading', { name: /^Round \d+/ }).locator('..').getByText('succeeded')).toBeVisible({ timeout: 600_000 });
  await expect(page.getByRole('img', { name: /^KL from SFT over \d+ steps/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /Evaluation/ })).toBeVisible();

  const promote = page.getByRole('button', { name: /^Promote .*-policy$/ });
  const policyName = ((await promote.textContent()) ?? '').replace(/^Promote /, '').trim();
  await promote.click();
  await expect(page.getByRole('status').filter({ hasText: `Promoted ${policyName}` })).toBeVisible();

  // The database agrees: the policy is active.
  const { round } = await admin.get<{ round: { checkpoints: { kind: string; name: string; active: boolean }[] } }>(`/api/rounds/${roundId}`);
  expect(round.checkpoints.find((c) => c.kind === 'POLICY')).toMatchObject({ name: policyName, active: true });

  // A fresh labeler's next ranking task holds the new policy's completions.
  const email = uniqueEmail('loop-labeler');
  await admin.post('/api/admin/users', { email, name: 'Loop labeler', password: 'loop-labeler-password-1', role: 'LABELER' });
  const labeler = await HoneClient.signIn(baseURL!, email, 'loop-labeler-password-1');
  let taskId: string | null = null;
  let completions: string[] = [];
  await expect
    .poll(
      async () => {
        const next = await labeler.post<{ task: { taskId: string } | null }>('/api/tasks/next', { projectId: project.id, kind: 'RANKING' });
        if (!next.task) return null;
        const { task } = await labeler.get<{ task: { ranking: { sourceModel: string; completions: { text: string }[] } } }>(`/api/tasks/${next.task.taskId}`);
        if (task.ranking.sourceModel !== policyName) {
          await labeler.post(`/api/tasks/${next.task.taskId}/skip`, { reason: 'Looking for the new policy.' });
          return null;
        }
        taskId = next.task.taskId;
        completions = task.ranking.completions.map((c) => c.text);
        return task.ranking.sourceModel;
      },
      { timeout: 180_000, intervals: [1000] },
    )
    .toBe(policyName);

  const ctx = await browser.newContext();
  const lp = await ctx.newPage();
  const res = await lp.request.post('/api/auth/sign-in/email', { data: { email, password: 'loop-labeler-password-1' } });
  expect(res.ok()).toBe(true);
  await lp.goto(`/label/tasks/${taskId}`);
  await expect(lp.getByText(`${completions.length} completions from ${policyName}`)).toBeVisible();
  await expect(lp.getByRole('region', { name: 'Your ranking (best first)' }).getByRole('listitem')).toHaveCount(completions.length);
  // A policy trained for a few steps can write any bytes; the cards render completions as
  // Markdown, so only plain-text completions can be looked up by their text.
  const plain = completions.map((t) => t.trim()).filter((t) => /^[A-Za-z0-9 ,.?!'-]{4,}$/.test(t));
  for (const text of plain.slice(0, 2)) await expect(lp.getByText(text.slice(0, 20), { exact: false }).first()).toBeVisible();
  await ctx.close();
});
