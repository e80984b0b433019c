// The admin reads an arena evaluation's results: seeded votes (SQL into the e2e database) between
// a round's policy, the previous policy and an SFT model; /admin/arena/[id] shows the leaderboard
// in rating order with the 95% intervals the Bradley–Terry code computes, the pair table with ties
// and both-bad, vote progress; the Chatbot Arena export downloads and parses; the round page shows
// the human win rate vs the previous policy, and a round with a policy and no evaluation offers
// the button that starts one.
import { readFile } from 'node:fs/promises';
import { expect, gotoReady, test } from '../fixtures';
import { db, makeLabeler, makeLabelingProject, shot } from '../labeling/helpers';
import { fitBradleyTerry, wilsonInterval, type ArenaOutcome } from '../../lib/shared/arena/bradley-terry';
import { hash32 } from '../../lib/shared/labeling';

test.describe.configure({ mode: 'serial' });

type Winner = 'MODEL_A' | 'MODEL_B' | 'TIE' | 'BOTH_BAD';
const OUTCOME: Record<Winner, ArenaOutcome> = { MODEL_A: 'model_a', MODEL_B: 'model_b', TIE: 'tie', BOTH_BAD: 'tie (bothbad)' };

test('the admin reads the leaderboard, downloads the battles, and sees the human win rate on the round page', async ({ adminPage: page, request }, testInfo) => {
  test.setTimeout(240_000); // ~80 seeding statements, each its own connection (db()), on a busy machine
  const tag = Date.now().toString(36);
  const id = (s: string) => `e2e-arena-${tag}-${s}`;
  const projectId = await makeLabelingProject(request, { name: `Arena ${tag}`, prompts: 2, sets: 0 });
  const prompts = await db<{ id: string; text: string }>(`UPDATE "Prompt" SET split = 'VAL' WHERE "projectId" = $1 RETURNING id, text`, [projectId]);
  prompts.sort((a, b) => a.text.localeCompare(b.text));
  const voters = [await makeLabeler(request), await makeLabeler(request), await makeLabeler(request)];

  const rounds = await db<{ n: number }>(`SELECT COALESCE(MAX(number), 0)::int AS n FROM "TrainingRound" WHERE "projectId" = $1`, [projectId]);
  const addRound = (rid: string, number: number) =>
    db(`INSERT INTO "TrainingRound" (id, "projectId", number, status, preset, config, stages, "finishedAt") VALUES ($1, $2, $3, 'SUCCEEDED', 'nano', '{}', '{sft,dpo,evaluate,publish}', now())`, [rid, projectId, number]);
  await addRound(id('round'), rounds[0].n + 1);
  await addRound(id('round-next'), rounds[0].n + 2);
  const addCheckpoint = (cid: string, kind: string, name: string, roundId: string | null) =>
    db(`INSERT INTO "Checkpoint" (id, "projectId", kind, name, preset, uri, "roundId") VALUES ($1, $2, $3, $4, 'nano', $4, $5)`, [cid, projectId, kind, name, roundId]);
  await addCheckpoint(id('ck-cand'), 'POLICY', `policy-${tag}-r2`, id('round'));
  await addCheckpoint(id('ck-prev'), 'POLICY', `policy-${tag}-r1`, null);
  await addCheckpoint(id('ck-sft'), 'SFT', `sft-${tag}-r2`, id('round'));
  await addCheckpoint(id('ck-next'), 'POLICY', `policy-${tag}-r3`, id('round-next'));

  const evaluationId = id('eval');
  await db(`INSERT INTO "ArenaEvaluation" (id, "projectId", name, status, "roundId", "votesPerBattle", "openedAt") VALUES ($1, $2, $3, 'OPEN', $4, 3, now())`, [
    evaluationId, projectId, `Round 2 vs previous ${tag}`, id('round'),
  ]);
  const models = [
    { mid: id('m-cand'), ck: id('ck-cand'), name: `policy-${tag}-r2`, role: 'candidate' },
    { mid: id('m-prev'), ck: id('ck-prev'), name: `policy-${tag}-r1`, role: 'previous' },
    { mid: id('m-sft'), ck: id('ck-sft'), name: `sft-${tag}-r2`, role: null },
  ];
  for (const [position, m] of models.entries()) {
    await db(`INSERT INTO "ArenaModel" (id, "evaluationId", "checkpointId", name, position, role) VALUES ($1, $2, $3, $4, $5, $6)`, [m.mid, evaluationId, m.ck, m.name, position, m.role]);
    for (const [k, p] of prompts.entries()) {
      await db(`INSERT INTO "ArenaReply" (id, "evaluationId", "modelId", "promptId", text, tokens) VALUES ($1, $2, $3, $4, $5, 8)`, [`${m.mid}-r${k}`, evaluationId, m.mid, p.id, `${m.name} replies to prompt ${k}.`]);
    }
  }
  const records: { modelA: string; modelB: string; winner: ArenaOutcome }[] = [];
  let at = Date.parse('2026-12-02T09:00:00Z');
  async function battle(a: number, b: number, k: number, winners: Winner[]) {
    const [ma, mb] = [models[a], models[b]];
    const bid = `${id('b')}-${a}${b}${k}`;
    await db(`INSERT INTO "ArenaBattle" (id, "evaluationId", "promptId", "modelAId", "modelBId", "replyAId", "replyBId", "displaySeed") VALUES ($1, $2, $3, $4, $5, $6, $7, 11)`, [
      bid, evaluationId, prompts[k].id, ma.mid, mb.mid, `${ma.mid}-r${k}`, `${mb.mid}-r${k}`,
    ]);
    await db(`INSERT INTO "Task" (id, "projectId", kind, status, "promptId", "arenaBattleId", wanted, "doneCount", "updatedAt") VALUES ($1, $2, 'ARENA', 'DONE', $3, $4, 3, $5, now())`, [
      `${bid}-t`, projectId, prompts[k].id, bid, winners.length,
    ]);
    for (const [v, winner] of winners.entries()) {
      const aid = `${bid}-a${v}`;
      await db(`INSERT INTO "Assignment" (id, "taskId", "userId", status, "expiresAt", "submittedAt", "updatedAt") VALUES ($1, $2, $3, 'SUBMITTED', now(), now(), now())`, [aid, `${bid}-t`, voters[v].id]);
      await db(`INSERT INTO "ArenaVote" (id, "evaluationId", "battleId", "assignmentId", "userId", winner, swapped, "timeMs", "guidelineVersion", "createdAt") VALUES ($1, $2, $3, $4, $5, $6, $7, 3000, 1, $8)`, [
        `${aid}-v`, evaluationId, bid, aid, voters[v].id, winner, v === 1, new Date((at += 1000)),
      ]);
      records.push({ modelA: ma.name, modelB: mb.name, winner: OUTCOME[winner] });
    }
  }
  // candidate vs previous: 4 wins, 1 loss, 1 tie; candidate vs SFT 5–1; previous vs SFT 4 wins, a tie, a both-bad
  await battle(0, 1, 0, ['MODEL_A', 'MODEL_A', 'TIE']);
  await battle(0, 1, 1, ['MODEL_A', 'MODEL_B', 'MODEL_A']);
  await battle(0, 2, 0, ['MODEL_A', 'MODEL_A', 'MODEL_A']);
  await battle(0, 2, 1, ['MODEL_A', 'MODEL_B', 'MODEL_A']);
  await battle(1, 2, 0, ['MODEL_A', 'MODEL_A', 'TIE']);
  await battle(1, 2, 1, ['MODEL_A', 'BOTH_BAD', 'MODEL_A']);

  // What the page must show: the pure fit on the same votes with the evaluation's seed.
  const fit = fitBradleyTerry(records, { seed: hash32(evaluationId) });
  expect(fit.models.map((m) => m.model)).toEqual(models.map((m) => m.name));

  await gotoReady(page, `/admin/arena/${evaluationId}`);
  await expect(page.getByRole('heading', { level: 1, name: `Round 2 vs previous ${tag}` })).toBeVisible();
  await expect(page.getByText('open', { exact: true })).toBeVisible();
  await expect(page.getByText(/18\s+of 18 votes wanted/)).toBeVisible();
  const board = page.getByRole('table', { name: 'Leaderboard' });
  const rows = board.getByRole('row');
  await expect(rows).toHaveCount(4);
  for (const [i, m] of fit.models.entries()) {
    const row = rows.nth(i + 1);
    await expect(row.getByRole('rowheader')).toContainText(m.model);
    await expect(row).toContainText(String(Math.round(m.rating)));
    await expect(row).toContainText(`${Math.round(m.ci95[0])}–${Math.round(m.ci95[1])}`);
    await expect(row).toContainText(`${m.wins} · ${m.losses} · ${m.ties} · ${m.bothBad}`);
  }
  await expect(rows.nth(1)).toContainText('candidate');
  const pairs = page.getByRole('table', { name: 'Win rates per pair' }).getByRole('row');
  await expect(pairs).toHaveCount(4);
  await expect(pairs.nth(1)).toContainText(`policy-${tag}-r2`);
  await expect(pairs.nth(3)).toHaveText(new RegExp(`policy-${tag}-r1\\s*sft-${tag}-r2\\s*6\\s*4\\s*0\\s*1\\s*1\\s*83%`));
  await expect(page.getByRole('table', { name: 'Votes per labeler' }).getByRole('row')).toHaveCount(4);
  await shot(page, testInfo, 'arena-leaderboard');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download battles (Chatbot Arena JSONL)' }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^hone-.+-arena-${evaluationId.slice(0, 8)}\\.jsonl$`));
  const lines = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(lines).toHaveLength(18);
  expect(lines.map((l) => [l.model_a, l.model_b, l.winner])).toEqual(records.map((r) => [r.modelA, r.modelB, r.winner]));
  expect(lines[0]).toMatchObject({ turn: 1, anony: true, question_id: prompts[0].id });
  expect(lines[0].judge).toMatch(/^hone-labeler-[0-9a-f]{8}$/);
  for (const v of voters) expect(JSON.stringify(lines)).not.toContain(v.email);

  // The round page: the human win rate of the candidate against the previous policy, linking back.
  await gotoReady(page, `/admin/rounds/${id('round')}`);
  const [lo, hi] = wilsonInterval(4.5 / 6, 6).map((x) => Math.round(x * 100));
  const line = page.getByRole('link', { name: /Human win rate vs previous policy/ });
  await expect(line).toHaveText(`Human win rate vs previous policy: 75% (4 W · 1 L · 1 T, 6 votes; 95% CI ${lo}–${hi}%)`);
  await expect(page.getByRole('button', { name: 'Evaluate with people vs previous policy' })).toHaveCount(0);
  await shot(page, testInfo, 'arena-round-win-rate');
  await line.click();
  await expect(page).toHaveURL(new RegExp(`/admin/arena/${evaluationId}$`));

  // A round that published a policy and has no evaluation yet offers to start one.
  await gotoReady(page, `/admin/rounds/${id('round-next')}`);
  await expect(page.getByRole('button', { name: 'Evaluate with people vs previous policy' })).toBeVisible();
  await expect(page.getByText('People have not compared this round’s policy with the previous one yet.')).toBeVisible();
});
