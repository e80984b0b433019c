// Issue 13's "done when", in the browser as a new admin would do it: register a Hugging Face
// GPT-2-family folder (3 layers × 96, 4 heads, context 128, GPT-2 vocabulary: a non-preset
// shape) from the server's models folder through /admin/checkpoints/register, see a pickle
// refused with its reason, register the same kind of model by uploading its files; then launch
// a round on the registered base from /admin/rounds, wait until it publishes, promote the policy,
// and find its completions in a labeler's next ranking task. The project and its first labels
// come from simulated labelers over the JSON API (lib/sim), as in e2e/loop.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, E2E_ADMIN, E2E_MODELS_DIR, gotoReady, uniqueEmail } from '../fixtures';
import { writeHfGpt2Folder } from '../../lib/ml/checkpoint/make-hf-folder';
import { HoneClient } from '../../lib/sim/client';
import { createLabelers, createSimProject } from '../../lib/sim/setup';
import { runLabelers } from '../../lib/sim/labelers';

test.describe.configure({ mode: 'serial' });

const SHAPE = { nLayer: 3, nEmbd: 96, nHead: 4, nPositions: 128 };
const KEY = 'gpt2-family-L3-C96-H4-T128';
const stamp = Date.now().toString(36);
// Unique names: the models folder outlives a run (the e2e database does not).
const GOOD = `tiny-gpt2-${stamp}`;
const PICKLED = `pickled-${stamp}`;
const modelsDir = path.resolve(E2E_MODELS_DIR);
const uploadDir = path.resolve(`test-results/register-base-${stamp}`);

let project: { id: string; name: string };

/** Full-page screenshots of the current page at desktop and phone width, for people to look at. */
async function shoot(page: Page, name: string) {
  for (const [tag, size] of [['desktop', { width: 1440, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `test-results/register-base-${name}-${tag}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

const sha256 = async (file: string) => createHash('sha256').update(await fs.readFile(file)).digest('hex');

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(300_000);
  await writeHfGpt2Folder(path.join(modelsDir, GOOD), { ...SHAPE, attnBias: true });
  // transformers' older save format: weights as a pickle, which Hone refuses to load.
  await writeHfGpt2Folder(path.join(modelsDir, PICKLED), { ...SHAPE, seed: 2 });
  await fs.rename(path.join(modelsDir, PICKLED, 'model.safetensors'), path.join(modelsDir, PICKLED, 'pytorch_model.bin'));
  // Files on "this computer" for the upload: a fast tokenizer (tokenizer.json) and a README the page leaves out.
  await writeHfGpt2Folder(uploadDir, { ...SHAPE, tokenizer: 'fast', prefix: true, seed: 3 });
  await fs.writeFile(path.join(uploadDir, 'README.md'), '# tiny GPT-2\n');

  const admin = await HoneClient.signIn(baseURL!, E2E_ADMIN.email, E2E_ADMIN.password);
  const created = await createSimProject(admin, { name: `Bases e2e ${stamp}`, prompts: 12, k: 4, overlap: 1 });
  const labelers = await createLabelers(admin, 2, 'e2e-bases');
  const work = await runLabelers({ baseUrl: baseURL!, labelers, projectId: created.id, noise: 0.1 });
  expect(work.rankings).toBeGreaterThan(0);
  project = created;
});

test.afterAll(async () => {
  for (const dir of [path.join(modelsDir, GOOD), path.join(modelsDir, PICKLED), uploadDir]) await fs.rm(dir, { recursive: true, force: true });
});

test('an admin registers a GPT-2-family folder and uploaded files through the page; a pickle is refused with its reason', async ({ adminPage: page }) => {
  test.setTimeout(240_000);
  await gotoReady(page, '/admin/checkpoints');
  await page.getByRole('link', { name: 'Register a base model', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/checkpoints\/register$/);
  await expect(page.getByRole('heading', { name: 'Register a base model' })).toBeVisible();
  await page.getByLabel('Project').selectOption({ label: project.name });
  await expect(page.getByText('No base models in this project yet.')).toBeVisible();
  // Where the models folder is on the server, and each folder's files and weights size.
  await expect(page.getByText(modelsDir, { exact: true })).toBeVisible();
  await expect(page.getByRole('radio', { name: new RegExp(`^${GOOD}\\s*weights \\d+ MiB · config\\.json, merges\\.txt, model\\.safetensors, tokenizer_config\\.json, vocab\\.json$`) })).toBeVisible();
  await shoot(page, 'empty');

  // The pickle: refused with the worker's reason next to the form; the choice stays.
  await page.getByRole('radio', { name: new RegExp(`^${PICKLED}\\s*no model\\.safetensors`) }).check();
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'This model cannot be registered' });
  await expect(alert).toContainText('pytorch_model.bin, a Python pickle', { timeout: 60_000 });
  await expect(alert).toContainText('safetensors');
  await expect(page.getByRole('radio', { name: new RegExp(`^${PICKLED}`) })).toBeChecked();
  await shoot(page, 'refusal');

  // The good folder, by keyboard: the next radio, then Enter submits the form.
  await page.getByRole('radio', { name: new RegExp(`^${GOOD}`) }).focus();
  await page.keyboard.press('Space');
  await expect(page.getByRole('radio', { name: new RegExp(`^${GOOD}`) })).toBeChecked();
  await page.getByLabel('Name (optional)').press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'cannot be registered' })).toHaveCount(0);
  const done = page.getByRole('region', { name: new RegExp(`Registered ${GOOD} as a base model of ${project.name}`) });
  await expect(done).toBeVisible({ timeout: 60_000 });
  await expect(done).toContainText('3 layers × 96, 4 heads, context 128, GPT-2 BPE');
  await expect(done).toContainText(`models folder: ${GOOD}`);
  await expect(done).toContainText(await sha256(path.join(modelsDir, GOOD, 'model.safetensors')));
  await expect(done.getByRole('link', { name: 'Launch a round on it' })).toHaveAttribute('href', '/admin/rounds');
  await expect(page.getByText(`Bases already here: ${GOOD}.`)).toBeVisible();
  await shoot(page, 'success');

  // An upload of the files from this computer. A taken name is refused before the worker sees
  // the upload; the files stay chosen, and the retry under another name registers them.
  await page.getByRole('radio', { name: 'On this computer (upload)' }).check();
  const files = (await fs.readdir(uploadDir)).map((f) => path.join(uploadDir, f));
  await page.getByLabel('Choose the files').setInputFiles(files);
  const chosen = page.getByRole('list', { name: 'Chosen files' });
  await expect(chosen.getByRole('listitem')).toHaveCount(files.length);
  await expect(chosen.getByRole('listitem').filter({ hasText: 'README.md' })).toContainText('not sent (not read by Hone)');
  await page.getByLabel('Name (optional)').fill(GOOD);
  await page.getByRole('button', { name: 'Upload and register' }).click();
  await expect(page.getByRole('alert').filter({ hasText: `already has a checkpoint named "${GOOD}"` })).toBeVisible({ timeout: 60_000 });
  for (const name of ['config.json', 'model.safetensors', 'tokenizer.json']) await expect(page.getByRole('progressbar', { name: `Upload of ${name}` })).toHaveAttribute('aria-valuenow', '100');
  await expect(chosen.getByRole('listitem')).toHaveCount(files.length);
  await page.getByLabel('Name (optional)').fill('uploaded tiny');
  await page.getByRole('button', { name: 'Upload and register' }).click();
  const uploaded = page.getByRole('region', { name: new RegExp(`Registered uploaded tiny as a base model`) });
  await expect(uploaded).toBeVisible({ timeout: 60_000 });
  await expect(uploaded).toContainText(/upload: config\.json, .*model\.safetensors.*tokenizer\.json/);
  await expect(uploaded).toContainText(await sha256(path.join(uploadDir, 'model.safetensors')));

  // The checkpoints page shows the registered bases' model, source and size.
  await gotoReady(page, '/admin/checkpoints');
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: GOOD, exact: true }) });
  await expect(row).toContainText('3 × 96, ctx 128, GPT-2 BPE');
  await expect(row).toContainText(`models folder: ${GOOD}`);
  await expect(row).toContainText(/sha256 [0-9a-f]{10} · \d+ MiB/);
  await shoot(page, 'checkpoints');
});

test('a round launched on the registered base publishes; the promoted policy writes the next ranking task', async ({ adminPage: page, baseURL, browser }) => {
  test.setTimeout(600_000);
  await gotoReady(page, '/admin/rounds');
  await page.getByLabel('Project').selectOption({ label: project.name });
  await page.getByLabel('Start from').selectOption({ label: `BASE ${GOOD} (${KEY})` });
  await expect(page.getByTestId('start-model')).toHaveText(KEY);
  // A few steps of each stage on small batches: the point is the whole path, not the model.
  const settings: Record<string, string> = {
    'sft.steps': '6',
    'sft.batchSize': '4',
    'sft.microBatchSize': '4',
    'sft.maxLength': '96',
    'sft.evalEvery': '3',
    'sft.checkpointEvery': '3',
    'rm.steps': '6',
    'rm.batchSize': '4',
    'rm.microBatchSize': '4',
    'rm.maxLength': '96',
    'rm.evalEvery': '3',
    'rm.checkpointEvery': '3',
    'ppo.steps': '4',
    'ppo.batchSize': '4',
    'ppo.miniBatchSize': '4',
    'ppo.microBatchSize': '4',
    'ppo.ppoEpochs': '1',
    'ppo.maxNewTokens': '12',
    'ppo.checkpointEvery': '2',
    'evaluate.prompts': '4',
    'evaluate.samples': '2',
    'evaluate.maxNewTokens': '12',
  };
  for (const summary of ['SFT', 'Reward model', 'PPO', 'Evaluate']) await page.locator('summary', { hasText: `Settings: ${summary}` }).click();
  for (const [field, value] of Object.entries(settings)) await page.getByLabel(field, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Launch round' }).click();
  await expect(page).toHaveURL(/\/admin\/rounds\/c[a-z0-9]+$/, { timeout: 60_000 });
  const roundId = page.url().split('/').pop()!;
  await expect(page.getByRole('heading', { name: /^Round \d+/ }).locator('..').getByText('succeeded')).toBeVisible({ timeout: 420_000 });

  const promote = page.getByRole('button', { name: /^Promote .*-policy$/ });
  const policyName = ((await promote.textContent()) ?? '').replace(/^Promote /, '').trim();
  await promote.click();
  await expect(page.getByRole('status').filter({ hasText: `Promoted ${policyName}` })).toBeVisible();

  const admin = await HoneClient.signIn(baseURL!, E2E_ADMIN.email, E2E_ADMIN.password);
  const { checkpoints } = await admin.get<{ checkpoints: { kind: string; name: string; active: boolean; preset: string; roundId: string | null }[] }>(
    `/api/checkpoints?projectId=${project.id}&kind=POLICY`,
  );
  // The policy is the registered model's shape, trained from it, and the project's active one.
  expect(checkpoints.find((c) => c.roundId === roundId)).toMatchObject({ name: policyName, active: true, preset: KEY });

  // A fresh labeler's next ranking task holds the new policy's completions.
  const email = uniqueEmail('bases-labeler');
  const password = 'bases-labeler-password-1';
  await admin.post('/api/admin/users', { email, name: 'Bases labeler', password, role: 'LABELER' });
  const labeler = await HoneClient.signIn(baseURL!, email, password);
  let taskId: string | null = null;
  let count = 0;
  await expect
    .poll(
      async () => {
        const next = await labeler.post<{ task: { taskId: string } | null }>('/api/tasks/next', { projectId: project.id, kind: 'RANKING' });
        if (!next.task) return null;
        const { task } = await labeler.get<{ task: { ranking: { sourceModel: string; completions: unknown[] } } }>(`/api/tasks/${next.task.taskId}`);
        if (task.ranking.sourceModel !== policyName) {
          await labeler.post(`/api/tasks/${next.task.taskId}/skip`, { reason: 'Looking for the new policy.' });
          return null;
        }
        taskId = next.task.taskId;
        count = task.ranking.completions.length;
        return task.ranking.sourceModel;
      },
      { timeout: 120_000, intervals: [1000] },
    )
    .toBe(policyName);

  const ctx = await browser.newContext();
  const lp = await ctx.newPage();
  expect((await lp.request.post('/api/auth/sign-in/email', { data: { email, password } })).ok()).toBe(true);
  await lp.goto(`/label/tasks/${taskId}`);
  await expect(lp.getByText(`${count} completions from ${policyName}`)).toBeVisible();
  await expect(lp.getByRole('region', { name: 'Your ranking (best first)' }).getByRole('listitem')).toHaveCount(count);
  await ctx.close();
});
