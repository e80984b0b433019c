// Issue #18, in the browser: DPO on the launch form and the round page. Ticking dpo unticks ppo and
// shows DPO's settings (β, the loss type as a list); β = 0 is refused by the server with the
// schema's words on the β field; with β restored, the pre-flight check counts DPO's rankings. A
// nano sft → dpo round shows a dpo chip and DPO's charts, and its snapshot is offered for reuse.
import { test, expect, gotoReady, E2E_ADMIN } from '../fixtures';
import { HoneClient } from '../../lib/sim/client';
import { createLabelers, createSimProject } from '../../lib/sim/setup';
import { runLabelers } from '../../lib/sim/labelers';
import { e2eDb } from '../auth/db';

test.setTimeout(240_000);

test('DPO on the launch form (β refused on its field) and a DPO round page with its charts', async ({ adminPage: page, baseURL }) => {
  const admin = await HoneClient.signIn(baseURL!, E2E_ADMIN.email, E2E_ADMIN.password);
  const name = `DPO e2e ${Date.now().toString(36)}`;
  const project = await createSimProject(admin, { name, prompts: 10, k: 4, overlap: 1 });
  const labelers = await createLabelers(admin, 1, 'e2e-dpo');
  await runLabelers({ baseUrl: baseURL!, labelers, projectId: project.id, noise: 0.1 });

  await gotoReady(page, '/admin/rounds');
  await page.getByLabel('Project').selectOption({ label: name });
  await page.getByLabel('Start from').selectOption('new');
  await page.getByLabel('Model preset').selectOption('nano');

  // DPO and PPO are alternatives: ticking dpo unticks ppo, and DPO's settings appear.
  const ppo = page.getByRole('checkbox', { name: 'ppo' });
  const dpo = page.getByRole('checkbox', { name: 'dpo' });
  await expect(ppo).toBeChecked();
  await dpo.check();
  await expect(ppo).not.toBeChecked();
  await expect(page.locator('summary', { hasText: 'Settings: PPO' })).toHaveCount(0);
  await page.locator('summary', { hasText: 'Settings: DPO' }).click();
  await expect(page.getByLabel('dpo.lossType', { exact: true }).locator('option')).toHaveText(['sigmoid', 'ipo']);
  // The pre-flight check judges DPO's rankings like the reward model's.
  const pre = page.getByRole('group', { name: 'Pre-flight: DPO (rankings)' });
  await expect(pre).toContainText(/\d+ of \d+ will train/);

  // β = 0: the server refuses it with the schema's words, on the β field.
  const beta = page.getByLabel('dpo.beta', { exact: true });
  await beta.fill('0');
  await page.getByRole('button', { name: 'Launch round' }).click();
  const words = 'β must be above 0 (it scales the implicit reward; TRL uses 0.1)';
  await expect(beta).toHaveAttribute('aria-invalid', 'true');
  await expect(beta).toHaveAccessibleDescription(new RegExp(words.replace(/[().]/g, '\\$&')));
  await expect(beta).toBeInViewport();
  await page.screenshot({ path: 'test-results/dpo-beta-refused.png', fullPage: false });
  const db = e2eDb();
  expect(await db.trainingRound.count({ where: { projectId: project.id } })).toBe(0);
  // Restored: the mark goes; the form as an admin sees it with DPO ticked.
  await beta.fill('0.1');
  await expect(beta).not.toHaveAttribute('aria-invalid', 'true');
  await expect(pre).toContainText(/\d+ of \d+ will train/);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.getByRole('heading', { name: 'Pre-flight check' }).scrollIntoViewIfNeeded();
  await expect(pre).toBeVisible();
  await page.screenshot({ path: 'test-results/dpo-launch-form.png', fullPage: true });

  // A short sft → dpo round: a dpo chip, DPO's card with its charts, the DPO policy published.
  const tiny = {
    pretrain: { steps: 2, batchSize: 4 },
    sft: { steps: 2, batchSize: 4 },
    dpo: { steps: 4, batchSize: 4, microBatchSize: 4, evalEvery: 2, checkpointEvery: 2 },
    evaluate: { prompts: 2, samples: 1, maxNewTokens: 8 },
  };
  const { round } = await admin.post<{ round: { id: string } }>('/api/rounds', { projectId: project.id, start: 'new', preset: 'nano', stages: ['sft', 'dpo'], settings: tiny });
  await gotoReady(page, `/admin/rounds/${round.id}`);
  await expect(page.getByRole('heading', { name: /^Round \d+/ }).locator('..').getByText('succeeded')).toBeVisible({ timeout: 150_000 });
  const chips = page.getByRole('list', { name: 'Stages' }).getByRole('listitem');
  await expect(chips).toHaveText([/pretrain · succeeded/, /sft · succeeded/, /dpo · succeeded/, /evaluate · succeeded/, /publish · succeeded/]);
  const card = page.getByRole('region', { name: 'Stage DPO' });
  for (const title of ['DPO loss', 'preference accuracy (batch)', 'reward margin (chosen − rejected)', 'preference accuracy (held out)']) await expect(card.getByText(title, { exact: true })).toBeVisible();
  await card.getByText(/^Logs/).click();
  await expect(card).toContainText(/DPO \(sigmoid, β 0\.1\) on \d+ rankings/);
  await expect(page.getByRole('region', { name: 'Published checkpoints' })).toContainText(/POLICY .*-r1-policy/);
  // No reward model in this round: the evaluation says so instead of showing RM scores of 0.
  await expect(page.getByRole('region', { name: /^Evaluation/ }).getByText('n/a: no reward model in this round')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/dpo-round-page.png', fullPage: true });

  // Its snapshot is offered for the next launch: another method on exactly the same data.
  await gotoReady(page, '/admin/rounds');
  await page.getByLabel('Project').selectOption({ label: name });
  await expect(page.getByLabel('Data').locator('option')).toHaveText([/as it is at launch/, /^Round 1's snapshot \([0-9a-f]{8}, \d+ items\)$/]);
  await db.$disconnect();
});
