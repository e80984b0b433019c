// Issue #18's "Done when", walked in the browser as a new user would: an admin launches a DPO round
// (sft → dpo on nano, tiny steps) on the launch form, waits for it on the round page, starts a
// human evaluation of its policy against the previous one with the round page's button, waits on
// /admin/arena/<id> until the e2e server's worker opened the battles; two labelers vote with the
// keyboard (A / B / T / X, Ctrl+Enter) until the evaluation is used up; the admin reads the
// leaderboard (ratings, 95% intervals, the pair's win rate and ties), the round page's human win
// rate, closes the evaluation and downloads the battles. The database backs each step.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, gotoReady, signInViaApi, E2E_ADMIN } from '../fixtures';
import { HoneClient } from '../../lib/sim/client';
import { createLabelers, createSimProject } from '../../lib/sim/setup';
import { runLabelers } from '../../lib/sim/labelers';
import { db, makeLabeler, shot } from '../labeling/helpers';
import { newId } from '../../lib/shared/ids';
import { hash32 } from '../../lib/shared/labeling';
import { fitBradleyTerry, wilsonInterval, type BattleRecord } from '../../lib/shared/arena/bradley-terry';
import { WINNER_TO_OUTCOME, type ArenaWinnerName } from '../../lib/shared/arena/chatbot-arena-format';

test.setTimeout(300_000);

type Key = 'a' | 'b' | 't' | 'x';
/** The winner a key means in the battle's own order, through the side this labeler saw. */
function expectedWinner(key: Key, swapped: boolean): ArenaWinnerName {
  if (key === 't') return 'TIE';
  if (key === 'x') return 'BOTH_BAD';
  const left = key === 'a';
  return left !== swapped ? 'MODEL_A' : 'MODEL_B';
}
const BUTTON: Record<Key, RegExp> = { a: /A is better/, b: /B is better/, t: /^Tie/, x: /Both are bad/ };

test('done when: a DPO round, its arena evaluation vs the previous policy, votes by keyboard, the leaderboard with intervals', async ({ adminPage: page, baseURL, browser, request }, testInfo) => {
  const tag = Date.now().toString(36);
  const name = `Done when ${tag}`;
  const admin = await HoneClient.signIn(baseURL!, E2E_ADMIN.email, E2E_ADMIN.password);
  // Rankings and demonstrations from a simulated labeler; 2 of the 10 corpus prompts are held out.
  const project = await createSimProject(admin, { name, prompts: 10, k: 4, overlap: 1 });
  const sims = await createLabelers(admin, 1, `e2e-dw-${tag}`);
  const work = await runLabelers({ baseUrl: baseURL!, labelers: sims, projectId: project.id, noise: 0.1 });
  expect(work.rankings).toBeGreaterThan(0);
  // Two more held-out prompts: four battles, so each of the two labelers votes twice.
  const held = ['Name a colour of the sky.', 'Say hello to a neighbour.'].map((text) => JSON.stringify({ text, split: 'val' })).join('\n');
  await admin.request('POST', `/api/projects/${project.id}/prompts/import?format=jsonl`, held, { 'content-type': 'application/jsonl' });
  const val = await db<{ n: number }>(`SELECT count(*)::int AS n FROM "Prompt" WHERE "projectId" = $1 AND split = 'VAL'`, [project.id]);
  expect(val[0].n).toBe(4);
  // The previous policy: an (untrained) nano policy, active on the project, as an earlier round would leave it.
  const prevName = `previous-policy-${tag}`;
  const prevDir = path.resolve(`test-results/${prevName}`);
  execFileSync(process.execPath, ['--import', 'tsx', 'e2e/labeling/nano-policy.ts', prevDir], { stdio: 'ignore', timeout: 60_000 });
  const prevId = newId();
  await db(`INSERT INTO "Checkpoint" (id, "projectId", kind, name, preset, status, uri, active, "createdAt") VALUES ($1, $2, 'POLICY', $3, 'nano', 'READY', $4, true, now())`, [prevId, project.id, prevName, prevDir]);

  // The launch form: a new nano base, sft kept, dpo ticked (ppo goes), no reward model, tiny steps.
  await gotoReady(page, '/admin/rounds');
  await page.getByLabel('Project').selectOption({ label: name });
  await page.getByLabel('Start from').selectOption('new');
  await page.getByLabel('Model preset').selectOption('nano');
  await page.getByRole('checkbox', { name: 'dpo' }).check();
  await expect(page.getByRole('checkbox', { name: 'ppo' })).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'sft' })).toBeChecked();
  const rm = page.getByRole('checkbox', { name: 'rm' });
  if (await rm.isChecked()) await rm.uncheck();
  const settings: Record<string, string> = {
    'pretrain.steps': '2',
    'pretrain.batchSize': '4',
    'sft.steps': '2',
    'sft.batchSize': '4',
    'dpo.steps': '4',
    'dpo.batchSize': '4',
    'dpo.microBatchSize': '4',
    'dpo.evalEvery': '2',
    'dpo.checkpointEvery': '2',
    'evaluate.prompts': '2',
    'evaluate.samples': '1',
    'evaluate.maxNewTokens': '8',
  };
  for (const summary of ['Base pretraining', 'SFT', 'DPO', 'Evaluate']) await page.locator('summary', { hasText: `Settings: ${summary}` }).click();
  for (const [field, value] of Object.entries(settings)) await page.getByLabel(field, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Launch round' }).click();
  await expect(page).toHaveURL(/\/admin\/rounds\/c[a-z0-9]+$/, { timeout: 60_000 });
  const roundId = page.url().split('/').pop()!;
  const round = await db<{ stages: string[] }>(`SELECT stages::text[] AS stages FROM "TrainingRound" WHERE id = $1`, [roundId]);
  expect(round[0].stages).toEqual(expect.arrayContaining(['sft', 'dpo']));
  expect(round[0].stages).not.toContain('ppo');

  // The round page until it SUCCEEDED.
  await expect(page.getByRole('heading', { name: /^Round \d+/ }).locator('..').getByText('succeeded')).toBeVisible({ timeout: 150_000 });
  const candidate = await db<{ id: string; name: string }>(`SELECT id, name FROM "Checkpoint" WHERE "roundId" = $1 AND kind = 'POLICY'`, [roundId]);
  expect(candidate).toHaveLength(1);

  // The round page's button starts the evaluation; its link leads to /admin/arena/<id>.
  await page.getByRole('button', { name: 'Evaluate with people vs previous policy' }).click();
  const started = page.getByRole('status').filter({ hasText: /^Started/ });
  await expect(started).toBeVisible();
  await started.getByRole('link').click();
  await expect(page).toHaveURL(/\/admin\/arena\/[^/]+$/);
  const evaluationId = new URL(page.url()).pathname.split('/').pop()!;
  const models = await db<{ id: string; name: string; role: string | null; checkpointId: string }>(
    `SELECT id, name, role, "checkpointId" FROM "ArenaModel" WHERE "evaluationId" = $1 ORDER BY position`,
    [evaluationId],
  );
  expect(models.map((m) => [m.checkpointId, m.role])).toEqual([
    [candidate[0].id, 'candidate'],
    [prevId, 'previous'],
  ]);
  // The page itself turns to open once the worker wrote the replies and opened the battles.
  await expect(page.locator('.page-header').getByText('open', { exact: true })).toBeVisible({ timeout: 120_000 });
  const battles = await db<{ n: number }>(`SELECT count(*)::int AS n FROM "ArenaBattle" WHERE "evaluationId" = $1`, [evaluationId]);
  expect(battles[0].n).toBe(4);

  // Two labelers take turns on their next task and vote with the keyboard until none is left.
  const labelers = [await makeLabeler(request), await makeLabeler(request)];
  const pages: Page[] = [];
  for (const l of labelers) {
    const ctx = await browser.newContext({ baseURL });
    const p = await ctx.newPage();
    await signInViaApi(p, l);
    await gotoReady(p, '/label');
    await p.getByLabel('Project').selectOption(project.id);
    await p.keyboard.press('Escape'); // leave the select, so single keys act
    pages.push(p);
  }
  const plan: Key[][] = [['a', 't'], ['b', 'x']];
  const pressed: { email: string; key: Key }[] = [];
  for (let turn = 0; turn < 2; turn++) {
    for (const [i, p] of pages.entries()) {
      await p.keyboard.press('n');
      await expect(p.getByText('Submitted.', { exact: true })).toBeHidden();
      await expect(p.getByRole('heading', { name: 'Which reply is better?' })).toBeVisible();
      await p.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
      await expect(p.getByTestId('reply-A')).toBeVisible();
      const key = plan[i][turn];
      await p.keyboard.press(key);
      await expect(p.getByRole('button', { name: BUTTON[key] })).toHaveAttribute('aria-pressed', 'true');
      await p.keyboard.press('Control+Enter');
      await expect(p.getByText('Submitted.', { exact: true })).toBeVisible();
      pressed.push({ email: labelers[i].email, key });
    }
  }
  // Used up: the next task is the project's own mix again.
  await pages[0].keyboard.press('n');
  await expect(pages[0].getByText('Submitted.', { exact: true })).toBeHidden();
  await expect(pages[0].getByRole('heading', { name: /Write the ideal answer|Rank the completions/ })).toBeVisible();
  for (const p of pages) await p.context().close();

  // Votes stored, each key mapped to the battle's own order through the side its labeler saw.
  const votes = await db<{ email: string; winner: ArenaWinnerName; swapped: boolean; a: string; b: string }>(
    `SELECT u.email, v.winner::text AS winner, v.swapped, ma.name AS a, mb.name AS b FROM "ArenaVote" v JOIN "User" u ON u.id = v."userId"
     JOIN "ArenaBattle" bt ON bt.id = v."battleId" JOIN "ArenaModel" ma ON ma.id = bt."modelAId" JOIN "ArenaModel" mb ON mb.id = bt."modelBId"
     WHERE v."evaluationId" = $1 ORDER BY v."createdAt", v.id`,
    [evaluationId],
  );
  expect(votes).toHaveLength(4);
  expect(votes.map((v) => v.email)).toEqual(pressed.map((p) => p.email));
  for (const [i, v] of votes.entries()) expect(v.winner).toBe(expectedWinner(pressed[i].key, v.swapped));
  const records: BattleRecord[] = votes.map((v) => ({ modelA: v.a, modelB: v.b, winner: WINNER_TO_OUTCOME[v.winner] }));

  // The leaderboard: both models with the fit's ratings and 95% intervals; the pair's win rate and ties.
  const cand = models[0].name;
  const fit = fitBradleyTerry(records, { seed: hash32(evaluationId) });
  await page.reload();
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await expect(page.getByText(/4\s+of 4 votes wanted/)).toBeVisible();
  const rows = page.getByRole('table', { name: 'Leaderboard' }).getByRole('row');
  await expect(rows).toHaveCount(3);
  for (const [i, m] of fit.models.entries()) {
    const row = rows.nth(i + 1);
    await expect(row.getByRole('rowheader')).toContainText(m.model);
    await expect(row).toContainText(String(Math.round(m.rating)));
    await expect(row).toContainText(`${Math.round(m.ci95[0])}–${Math.round(m.ci95[1])}`);
    await expect(row).toContainText(`${m.wins} · ${m.losses} · ${m.ties} · ${m.bothBad}`);
  }
  // From the candidate's side: the A and B keys are two decisive votes, T a tie, X a both-bad. Which
  // model each decisive key picked depends on the side its labeler saw (random per labeler), so the
  // expected counts come from the stored votes (already checked against the keys above).
  const side = votes.map((v) => (v.winner === 'TIE' || v.winner === 'BOTH_BAD' ? v.winner : (v.winner === 'MODEL_A') === (v.a === cand) ? 'W' : 'L'));
  const [w, l] = [side.filter((s) => s === 'W').length, side.filter((s) => s === 'L').length];
  expect(w + l).toBe(2);
  const rate = (w + 1) / 4; // the tie and the both-bad count half each
  const pct = `${Math.round(rate * 100)}%`;
  const pair = page.getByRole('table', { name: 'Win rates per pair' }).getByRole('row');
  await expect(pair).toHaveCount(2);
  // The table may list either model first (the leaderboard's order): the row reads the same either way round.
  const prev = votes[0].a === cand ? votes[0].b : votes[0].a;
  const fromCand = `${cand}\\s*${prev}\\s*4\\s*${w}\\s*${l}\\s*1\\s*1\\s*${pct}`;
  const fromPrev = `${prev}\\s*${cand}\\s*4\\s*${l}\\s*${w}\\s*1\\s*1\\s*${Math.round((1 - rate) * 100)}%`;
  await expect(pair.nth(1)).toHaveText(new RegExp(`^(${fromCand}|${fromPrev})$`));
  await shot(page, testInfo, 'done-when-leaderboard');

  // The round page: the human win rate vs the previous policy.
  await gotoReady(page, `/admin/rounds/${roundId}`);
  const [lo, hi] = wilsonInterval(rate, 4).map((x) => Math.round(x * 100));
  const line = page.getByRole('link', { name: /Human win rate vs previous policy/ });
  await expect(line).toHaveText(`Human win rate vs previous policy: ${pct} (${w} W · ${l} L · 2 T, 4 votes; 95% CI ${lo}–${hi}%)`);
  await line.scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'done-when-round-win-rate');
  await line.click();
  await expect(page).toHaveURL(new RegExp(`/admin/arena/${evaluationId}$`));
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });

  // Closing: confirmed, the page says closed, the database agrees.
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Close evaluation' }).click();
  await expect(page.getByRole('status')).toHaveText('Closed: no more votes are collected. The results below are final.');
  await expect(page.locator('.page-header').getByText('closed', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Close evaluation' })).toHaveCount(0);
  const closed = await db<{ status: string }>(`SELECT status::text FROM "ArenaEvaluation" WHERE id = $1`, [evaluationId]);
  expect(closed[0].status).toBe('CLOSED');

  // The export: one line per vote, model_a/model_b/winner as stored.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download battles (Chatbot Arena JSONL)' }).click()]);
  const lines = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\n').map((x) => JSON.parse(x));
  expect(lines).toHaveLength(4);
  expect(lines.map((x) => [x.model_a, x.model_b, x.winner])).toEqual(records.map((r) => [r.modelA, r.modelB, r.winner]));
});
