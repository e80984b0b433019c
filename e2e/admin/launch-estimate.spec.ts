// The launch form estimates each stage on the train worker's measured capacity: a nano round fits
// and can be launched; a plan whose micro-batch cannot fit the worker's memory disables Launch and
// says which setting to lower. The screenshot is the form with the estimate table.
import { test, expect, gotoReady } from '../fixtures';
import { HoneClient } from '../../lib/sim/client';
import { createSimProject } from '../../lib/sim/setup';
import { E2E_ADMIN } from '../fixtures';

test('the launch form shows a per-stage estimate and refuses a plan that cannot fit', async ({ adminPage: page, baseURL }) => {
  const admin = await HoneClient.signIn(baseURL!, E2E_ADMIN.email, E2E_ADMIN.password);
  const name = `Estimate e2e ${Date.now().toString(36)}`;
  await createSimProject(admin, { name, prompts: 4, k: 4, overlap: 1 });
  // The worker started with the app reports its capacity once its probe has run.
  await expect
    .poll(async () => ((await (await page.request.get('/api/rounds/options')).json()) as { workers: unknown[] }).workers.length, { timeout: 90_000 })
    .toBeGreaterThan(0);

  await gotoReady(page, '/admin/rounds');
  await page.getByLabel('Project').selectOption({ label: name });
  await page.getByLabel('Start from').selectOption('new');
  await page.getByLabel('Model preset').selectOption('nano');
  const table = page.getByRole('table', { name: 'Estimate per stage' });
  for (const stage of ['pretrain', 'sft', 'rm', 'ppo']) await expect(table.getByRole('row').filter({ hasText: stage }).getByText('fits', { exact: true })).toBeVisible();
  await expect(page.getByText(/GFLOP\/s measured/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Launch round' })).toBeEnabled();
  await page.setViewportSize({ width: 1280, height: 1100 });
  await page.screenshot({ path: 'test-results/launch-form.png', fullPage: true });

  // 1024 rankings × 4 completions of the full context in one micro-batch of a 3.2M model
  // (~240 GiB of activations): past any worker's memory.
  await page.getByLabel('Model preset').selectOption('small');
  await page.locator('summary', { hasText: 'Settings: Reward model' }).click();
  await page.getByLabel('rm.batchSize', { exact: true }).fill('1024');
  await page.getByLabel('rm.microBatchSize', { exact: true }).fill('1024');
  await expect(table.getByRole('row').filter({ hasText: 'rm' }).getByText('does not fit')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /Cannot launch: rm needs about .* lower rm\.microBatchSize or rm\.maxLength/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Launch round' })).toBeDisabled();
  await page.screenshot({ path: 'test-results/launch-form-refused.png', fullPage: true });
});
