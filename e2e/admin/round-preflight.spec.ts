// Issue #16 §7, in the browser. The launch form runs a pre-flight check of the project's data
// against the chosen model: demonstrations whose prompt is longer than nano's context (64 tokens)
// are counted with links to them. An SFT maximum length beyond that context is marked on its field
// as it is typed and refused beside the Launch button (and by the API, with the field's path). On
// the round page the stages are one line of chips, and a cancelled round says it was cancelled
// (not that it "stops at its next step"). Old main has no pre-flight, accepts maxLength 256, and
// keeps "stops at its next step" on screen after the cancel.
import { test, expect, gotoReady, E2E_ADMIN } from '../fixtures';
import { HoneClient } from '../../lib/sim/client';
import { createLabelers, createSimProject } from '../../lib/sim/setup';
import { runLabelers } from '../../lib/sim/labelers';
import { e2eDb } from '../auth/db';

test.setTimeout(240_000);

const LONG = (i: number) => `Could you explain, in a few plain sentences, why the sky looks blue? (#${i})`;

test('pre-flight counts and links items too long for the model; maxLength past the context is refused on its field; a cancelled round says so', async ({ adminPage: page, baseURL }) => {
  const admin = await HoneClient.signIn(baseURL!, E2E_ADMIN.email, E2E_ADMIN.password);
  const name = `Preflight e2e ${Date.now().toString(36)}`;
  const project = await createSimProject(admin, { name, prompts: 10, k: 4, overlap: 1 });
  const labelers = await createLabelers(admin, 1, 'e2e-preflight');
  await runLabelers({ baseUrl: baseURL!, labelers, projectId: project.id, noise: 0.1 });

  // Two demonstrations get a 72-character prompt: nothing of their answer fits in 64 tokens.
  const db = e2eDb();
  const demos = await db.demonstration.findMany({ where: { projectId: project.id }, select: { id: true, promptId: true }, orderBy: { createdAt: 'asc' } });
  const longPrompts = [...new Set(demos.map((d) => d.promptId))].slice(0, 2);
  for (const [i, id] of longPrompts.entries()) await db.prompt.update({ where: { id }, data: { text: LONG(i) } });
  const longDemos = demos.filter((d) => longPrompts.includes(d.promptId));
  expect(longDemos.length).toBeGreaterThan(0);

  await gotoReady(page, '/admin/rounds');
  await page.getByLabel('Project').selectOption({ label: name });
  await page.getByLabel('Start from').selectOption('new');
  await page.getByLabel('Model preset').selectOption('nano');

  // Pre-flight: the SFT items that cannot fit, counted, each linked to the data browser.
  const sft = page.getByRole('group', { name: 'Pre-flight: SFT (demonstrations and dialogues)' });
  const reason = sft.getByRole('listitem').filter({ hasText: "prompt longer than the model's context (64 tokens)" });
  await expect(reason).toContainText(`${longDemos.length} prompt longer than the model's context (64 tokens), so no answer token fits`);
  const links = reason.getByRole('link');
  await expect(links).toHaveCount(longDemos.length);
  const hrefs = await links.evaluateAll((els) => els.map((e) => e.getAttribute('href')));
  expect(hrefs.sort()).toEqual(longDemos.map((d) => `/data/${project.id}/items/demonstration/${d.id}`).sort());
  await expect(sft).toContainText(`${demos.length - longDemos.length} of ${demos.length} will train`);
  // PPO keeps the end of those prompts: counted as shortened, not skipped.
  await expect(page.getByRole('group', { name: 'Pre-flight: PPO (prompts)' })).toContainText(/\d+ shortened/);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.getByRole('heading', { name: 'Pre-flight check' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/round-preflight.png', fullPage: true });

  // SFT maximum length 256 on a 64-token model: marked on its field as typed, refused beside Launch.
  await page.locator('summary', { hasText: 'Settings: SFT' }).click();
  const maxLength = page.getByLabel('sft.maxLength', { exact: true });
  await maxLength.fill('256');
  const message = "SFT maximum length (256) is longer than the model's context of 64 tokens: use 64 or less, or leave it empty for the whole context.";
  await expect(maxLength).toHaveAttribute('aria-invalid', 'true');
  await expect(maxLength).toHaveAccessibleDescription(new RegExp(message.replace(/[()]/g, '\\$&')));
  await page.getByRole('button', { name: 'Launch round' }).click();
  // Beside the button (the form-level message of app/_components/field-errors.tsx).
  const beside = page.getByRole('button', { name: 'Launch round' }).locator('..').getByRole('alert');
  await expect(beside).toHaveText('Fix the field marked above, then try again.');
  await expect(maxLength).toBeFocused();
  await expect(maxLength).toBeInViewport();
  await page.screenshot({ path: 'test-results/round-preflight-maxlength.png', fullPage: false });
  // The API refuses the same, naming the field (and nothing is launched).
  const res = await page.request.post('/api/rounds', { data: { projectId: project.id, start: 'new', preset: 'nano', settings: { sft: { maxLength: 256 } } } });
  expect(res.status()).toBe(400);
  expect((await res.json()).error).toMatchObject({ message, details: [{ path: 'settings.sft.maxLength', message }] });
  expect(await db.trainingRound.count({ where: { projectId: project.id } })).toBe(0);
  // Fixed: the mark and the message go.
  await maxLength.fill('64');
  await expect(maxLength).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(message)).toHaveCount(0);

  // A long round, cancelled: the banner says cancelled; the stages are a line of chips.
  const { round } = await admin.post<{ round: { id: string } }>('/api/rounds', {
    projectId: project.id,
    start: 'new',
    preset: 'nano',
    stages: ['sft', 'rm', 'ppo'],
    settings: { pretrain: { steps: 100000 }, sft: { maxSkipFraction: 1 } },
  });
  await gotoReady(page, `/admin/rounds/${round.id}`);
  const chips = page.getByRole('list', { name: 'Stages' }).getByRole('listitem');
  await expect(chips).toHaveCount(6);
  await expect(chips.nth(5)).toHaveText(/publish · queued/);
  // Queued stages have no card of their own.
  await expect(page.getByRole('region', { name: 'Stage PUBLISH' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Cancel round' }).click();
  const banner = page.getByTestId('round-cancelled');
  await expect(banner).toContainText(/^Round \d+ was cancelled/, { timeout: 60_000 });
  await expect(page.getByText(/stops at its next step/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel round' })).toHaveCount(0);
  await expect(chips.nth(5)).toHaveText(/publish · cancelled/);
  await page.screenshot({ path: 'test-results/round-cancelled.png', fullPage: true });

  // A short round on the same data runs to the end; the SFT card and chip show the skipped items.
  const tiny = {
    pretrain: { steps: 2, batchSize: 4 },
    sft: { steps: 2, batchSize: 4, maxSkipFraction: 1 },
    rm: { steps: 2, batchSize: 4 },
    ppo: { steps: 1, batchSize: 4, miniBatchSize: 4, maxNewTokens: 8 },
    evaluate: { prompts: 2, samples: 1, maxNewTokens: 8 },
  };
  const done = await admin.post<{ round: { id: string } }>('/api/rounds', { projectId: project.id, start: 'new', preset: 'nano', settings: tiny });
  await gotoReady(page, `/admin/rounds/${done.round.id}`);
  await expect(page.getByRole('heading', { name: /^Round \d+/ }).locator('..').getByText('succeeded')).toBeVisible({ timeout: 120_000 });
  const report = page.getByTestId('data-report-sft');
  await expect(report).toContainText(`Used ${demos.length - longDemos.length} of ${demos.length} SFT items · ${longDemos.length} skipped: ${longDemos.length} prompt longer than the model's context (64 tokens)`);
  await expect(chips.nth(1)).toHaveText(`sft · succeeded · ${longDemos.length} skipped`);
  await page.getByRole('region', { name: 'Stage SFT' }).getByText(/^Logs/).click();
  await expect(page.getByRole('region', { name: 'Stage SFT' })).toContainText(`Skipped ${longDemos.length} of ${demos.length} SFT items`);
  await page.screenshot({ path: 'test-results/round-skipped.png', fullPage: true });
  await db.$disconnect();
});
