// A researcher, as a new user would: downloads every export format in the browser and loads
// each file by the target tool's documented field names; streams exports with an API token
// (refused once revoked); gets clear errors for bad input; queues an export job and fetches
// its file; reads the quality dashboard. An admin marks a gold order.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { test, expect, createUserViaApi, uniqueEmail, gotoReady, signInViaApi } from '../fixtures';
import { seedExportDataset } from '../../lib/data/exports/test-dataset';

const FIELDS: Record<string, string[]> = {
  // `origin`: "ranking", or "edit" for an edited model suggestion (edited ≻ raw)
  'TRL preference (standard)': ['prompt', 'chosen', 'rejected', 'origin'],
  'TRL preference (conversational)': ['prompt', 'chosen', 'rejected', 'origin'],
  'Raw K-way judgements': ['judgement_id', 'set_id', 'prompt_id', 'labeler_id', 'prompt', 'completions', 'tiers', 'all_bad', 'flags', 'likert', 'likert_per_completion', 'comment', 'time_ms', 'display_order', 'guideline_version', 'guideline_outdated', 'round_id', 'checkpoint_id', 'source_model', 'split', 'is_gold', 'created_at', 'origin', 'edit_id'],
  'Consensus ranking per set': ['set_id', 'prompt_id', 'prompt', 'completions', 'method', 'consensus_tiers', 'scores', 'n_judgements', 'judgement_ids', 'gold_tiers', 'round_id', 'checkpoint_id', 'split'],
  'Pairwise with margin': ['judgement_id', 'set_id', 'prompt_id', 'labeler_id', 'prompt', 'chosen_index', 'rejected_index', 'chosen', 'rejected', 'margin', 'all_bad', 'guideline_version', 'round_id', 'checkpoint_id', 'split', 'origin', 'edit_id'],
  'SFT messages': ['messages'],
  'SFT prompt/completion': ['prompt', 'completion'],
  'OpenAI chat fine-tuning': ['messages'],
  'OpenAI DPO': ['input', 'preferred_output', 'non_preferred_output'],
  'Anthropic HH': ['chosen', 'rejected'],
  'OASST message trees': ['message_tree_id', 'tree_state', 'prompt', 'origin'],
};

const prefix = `e2e${Date.now().toString(36)}`;
let projectId = '';

test.beforeAll(async () => {
  const url = new URL(process.env.HONE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/hone_e2e_${process.env.E2E_PORT ?? '3100'}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  ({ projectId } = await seedExportDataset(db, prefix));
  await db.end();
});

test('a researcher downloads every format in the browser and each file parses with the documented fields', async ({ page, request }) => {
  const researcher = { email: uniqueEmail('researcher'), password: 'researcher-pw-1', name: 'Ria Researcher', role: 'RESEARCHER' as const };
  await createUserViaApi(request, researcher);
  await signInViaApi(page, researcher);
  await gotoReady(page, '/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Research' }).click();
  await expect(page.getByRole('heading', { name: 'Research', level: 1 })).toBeVisible();
  await gotoReady(page, `/research?projectId=${projectId}`);
  await expect(page.getByLabel('Project')).toHaveValue(projectId);
  await expect(page.getByText('8 judgements on 3 ranking sets')).toBeVisible();

  for (const [title, fields] of Object.entries(FIELDS)) {
    await page.getByLabel('Format').selectOption({ label: title });
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download', exact: true }).click();
    const download = await downloading;
    const text = readFileSync((await download.path())!, 'utf8');
    const rows = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.length, title).toBeGreaterThan(0);
    for (const r of rows) expect(Object.keys(r), title).toEqual(fields);
    await expect(page.getByRole('status').filter({ hasText: 'Downloaded' })).toContainText(`${rows.length} rows`);
  }

  // A filter narrows the file: only the validation split.
  await page.getByLabel('Format').selectOption({ label: 'Raw K-way judgements' });
  await page.getByLabel('Split').selectOption({ label: 'Validation' });
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  const val = readFileSync((await (await downloading).path())!, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(val.map((r) => r.split)).toEqual(['val', 'val', 'val']);

  // An empty selection is a clear error, not an empty file.
  await page.getByLabel('From (UTC)').fill('2030-01-01');
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Nothing to export' })).toBeVisible();
});

test('token holders stream exports with curl-style requests; bad input and revoked tokens get clear errors', async ({ page, request, playwright }) => {
  const researcher = { email: uniqueEmail('curl'), password: 'researcher-pw-2', name: 'Cal Curl', role: 'RESEARCHER' as const };
  await createUserViaApi(request, researcher);
  await signInViaApi(page, researcher);
  const origin = `http://localhost:${process.env.E2E_PORT ?? '3100'}`;
  const created = await page.request.post('/api/tokens', { data: { name: 'notebook' }, headers: { origin } });
  expect(created.status()).toBe(201);
  const { token, secret } = (await created.json()) as { token: { id: string }; secret: string };

  const api = await playwright.request.newContext({ baseURL: origin });
  const auth = { authorization: `Bearer ${secret}` };
  const res = await api.get(`/api/exports/anthropic-hh?projectId=${projectId}`, { headers: auth });
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('application/x-ndjson');
  const hh = (await res.text()).trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(hh[0].chosen.startsWith('\n\nHuman: ')).toBe(true);
  expect(hh[0].chosen).toContain('\n\nAssistant: ');

  const gz = await api.get(`/api/exports/trl-preference?projectId=${projectId}&gzip=1`, { headers: auth });
  expect(gz.headers()['content-type']).toBe('application/gzip');
  expect((await gz.body())[0]).toBe(0x1f);

  const unknown = await api.get(`/api/exports/parquet?projectId=${projectId}`, { headers: auth });
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error.message).toContain('Unknown export format "parquet"');
  const impossible = await api.get(`/api/exports/judgements?projectId=${projectId}&from=2026-02-01&to=2026-01-01`, { headers: auth });
  expect(impossible.status()).toBe(400);
  expect((await impossible.json()).error.message).toContain('before the range starts');
  const badAgreement = await api.get(`/api/exports/judgements?projectId=${projectId}&minAgreement=2`, { headers: auth });
  expect(badAgreement.status()).toBe(400);
  const empty = await api.get(`/api/exports/judgements?projectId=${projectId}&split=test`, { headers: auth });
  expect(empty.status()).toBe(404);
  expect((await empty.json()).error.message).toContain('Nothing to export');

  // Snapshots through the API: same filter, same hash.
  const a = await api.post('/api/snapshots', { headers: auth, data: { filter: { projectId, split: 'train' } } });
  const b = await api.post('/api/snapshots', { headers: auth, data: { filter: { projectId, split: 'train' } } });
  expect(a.status()).toBe(201);
  expect((await a.json()).snapshot.sha256).toBe((await b.json()).snapshot.sha256);

  const revoked = await page.request.delete(`/api/tokens/${token.id}`, { headers: { origin } });
  expect(revoked.ok()).toBe(true);
  const after = await api.get(`/api/exports/judgements?projectId=${projectId}`, { headers: auth });
  expect(after.status()).toBe(401);
  expect((await after.json()).error.code).toBe('UNAUTHENTICATED');
  await api.dispose();
});

test('a large export runs as a job and its file is fetched when done', async ({ page, request }) => {
  const researcher = { email: uniqueEmail('jobs'), password: 'researcher-pw-3', name: 'Jo Jobs', role: 'RESEARCHER' as const };
  await createUserViaApi(request, researcher);
  await signInViaApi(page, researcher);
  await gotoReady(page, `/research?projectId=${projectId}`);
  await page.getByLabel('Format').selectOption({ label: 'Pairwise with margin' });
  await page.getByRole('button', { name: 'Run as background job' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'queued' })).toBeVisible();
  const jobs = page.getByRole('region', { name: 'Export jobs' });
  const link = jobs.getByRole('link', { name: 'Download' }).first();
  await expect(link).toBeVisible({ timeout: 120_000 });
  const href = (await link.getAttribute('href'))!;
  const file = await page.request.get(href);
  expect(file.status()).toBe(200);
  const rows = (await file.text()).trimEnd().split('\n').map((l) => JSON.parse(l));
  // 44 pairs from the fixture's rankings, and one from its dialogue's edited suggestion
  expect(rows.filter((r) => r.origin === 'ranking').length).toBe(44);
  expect(rows.filter((r) => r.origin === 'edit').length).toBe(1);
  expect(file.headers()['x-hone-sha256']).toMatch(/^[0-9a-f]{64}$/);
  // The job's file is named by project, the snapshot it froze, and format — not by ids alone.
  expect(file.headers()['content-disposition']).toMatch(/filename="hone-[a-z0-9-]+-snapshot-[a-z0-9]{8}-pairwise\.jsonl"/);
});

test('the quality dashboard shows agreement; an admin marks a gold order', async ({ adminPage: page }) => {
  await gotoReady(page, `/research/quality?projectId=${projectId}`);
  await expect(page.getByRole('heading', { name: 'Quality', level: 1 })).toBeVisible();
  await expect(page.getByTestId('alpha')).toHaveText(/^-?\d\.\d{3}$/);
  await expect(page.getByRole('img', { name: 'Kendall τ-b between pairs of labelers' })).toBeVisible();
  await expect(page.getByRole('row', { name: /alice/ }).first()).toBeVisible(); // in the gold table and the labelers table
  for (const [label, size] of [
    ['desktop', { width: 1440, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `test-results/research-quality-${label}.png`, fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `quality dashboard at ${label} width`).toBeLessThanOrEqual(size.width);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  await gotoReady(page, `/admin/gold?projectId=${projectId}&setId=${prefix}-s1`);
  await expect(page.getByRole('heading', { name: 'Mark the gold order' })).toBeVisible();
  // The drag cards labelers rank with: #1 above #0, #3 tied with #2.
  await page.getByRole('button', { name: 'Move completion #1 up' }).click();
  await page.getByRole('checkbox', { name: 'Completion #3 is tied with the one above' }).check();
  await page.getByRole('button', { name: 'Save gold order' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Gold order saved' })).toHaveText('Gold order saved: #1 > #0 > #2 = #3.');
  // The lists refresh: the set is now under "Gold sets".
  await expect(page.getByRole('table', { name: 'Sets with a gold order' })).toContainText('What is the capital of France?');
  const res = await page.request.get(`/api/quality/sets/${prefix}-s1`);
  expect((await res.json()).set.goldTiers).toEqual([[1], [0], [2, 3]]);
});

test('export files are named by project slug, snapshot or day, and format; snapshots show their filter in words', async ({ page, request }) => {
  const researcher = { email: uniqueEmail('names'), password: 'researcher-pw-4', name: 'Nel Names', role: 'RESEARCHER' as const };
  await createUserViaApi(request, researcher);
  await signInViaApi(page, researcher);
  const db = new pg.Client({ connectionString: Object.assign(new URL(process.env.HONE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'), { pathname: `/hone_e2e_${process.env.E2E_PORT ?? '3100'}` }).toString() });
  await db.connect();
  const slug = (await db.query<{ slug: string }>('SELECT slug FROM "Project" WHERE id = $1', [projectId])).rows[0]!.slug;
  await db.end();
  await gotoReady(page, `/research?projectId=${projectId}`);
  await page.getByLabel('Format').selectOption({ label: 'Raw K-way judgements' });

  const live = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  expect((await live).suggestedFilename()).toBe(`hone-${slug}-judgements-${new Date().toISOString().slice(0, 10)}.jsonl`);

  // Two snapshots: everything, and the validation split; the table says which is which.
  await page.getByRole('button', { name: 'Freeze as snapshot' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'frozen' })).toBeVisible();
  await page.getByLabel('Split').selectOption({ label: 'Validation' });
  await page.getByRole('button', { name: 'Freeze as snapshot' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'frozen' })).toHaveText(/frozen: \d+ items/);
  const table = page.getByRole('region', { name: 'Snapshots' });
  await expect(table.getByRole('cell', { name: 'All judgements, demonstrations and dialogues' }).first()).toBeVisible();
  await expect(table.getByRole('cell', { name: 'Validation split', exact: true }).first()).toBeVisible();
  await expect(table).not.toContainText('{');

  // A snapshot's export carries the snapshot's id in its name.
  const source = page.getByLabel('Source');
  const option = source.getByRole('option', { name: /Validation split/ }).first();
  const snapshotId = (await option.getAttribute('value'))!;
  await source.selectOption(snapshotId);
  const frozen = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  expect((await frozen).suggestedFilename()).toBe(`hone-${slug}-snapshot-${snapshotId.slice(0, 8)}-judgements.jsonl`);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/research-snapshots-phone.png', fullPage: true });
});
