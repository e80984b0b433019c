// The arena's results half on seeded rows: the results API's leaderboard (the same fit as the
// pure Bradley–Terry code on the same votes), pair table, vote progress and votes per labeler; the
// Chatbot Arena export's lines; the round page's human win rate; who may read them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db';
import { newId } from '../../lib/shared/ids';
import { createUser } from '../../lib/data/users/create-user';
import { createApiToken } from '../../lib/data/api-tokens/create-token';
import { makeProject } from '../../lib/data/tasks/test-fixtures';
import { uniqueEmail } from '../../lib/auth/test-helpers';
import { fitRatings, wilsonInterval, type ArenaOutcome } from '../../lib/shared/arena/bradley-terry';
import { CHATBOT_ARENA_FIELDS, type ChatbotArenaBattle } from '../../lib/shared/arena/chatbot-arena-format';
import { judgeId } from '../../lib/data/arena/export-battles';
import { roundHumanEvaluation } from '../../lib/data/arena/round-win-rate';
import type { ArenaResults } from '../../lib/data/arena/results';
import * as resultsRoute from '@/app/api/arena/[id]/results/route';
import * as exportRoute from '@/app/api/arena/[id]/export/route';

const B = 'http://localhost:3000';
// Hugging Face datasets, when this machine's python3 has it: the export must load with its json loader.
const HAS_DATASETS = spawnSync('python3', ['-c', 'import datasets'], { stdio: 'ignore' }).status === 0;
type Winner = 'MODEL_A' | 'MODEL_B' | 'TIE' | 'BOTH_BAD';

let projectId = '';
let slug = '';
let roundId = '';
let bareRoundId = '';
let evaluationId = '';
const bearer: Record<'admin' | 'researcher' | 'labeler', Record<string, string>> = { admin: {}, researcher: {}, labeler: {} };
const labelers: { id: string; email: string }[] = [];
// every vote as the pure fit sees it, keyed by checkpoint name
const expected: { modelA: string; modelB: string; winner: ArenaOutcome }[] = [];

async function tokenFor(role: 'ADMIN' | 'RESEARCHER' | 'LABELER', tag: string) {
  const u = await createUser({ name: `Arena ${tag}`, email: uniqueEmail(`arena-${tag}`), password: 'correct horse battery', role }, { id: null });
  const { secret } = await createApiToken(u.id, { name: `arena ${tag}` });
  return { id: u.id, email: u.email, headers: { authorization: `Bearer ${secret}` } };
}

beforeAll(async () => {
  projectId = await makeProject();
  slug = (await prisma.project.findUniqueOrThrow({ where: { id: projectId } })).slug;
  bearer.admin = (await tokenFor('ADMIN', 'admin')).headers;
  bearer.researcher = (await tokenFor('RESEARCHER', 'researcher')).headers;
  bearer.labeler = (await tokenFor('LABELER', 'labeler')).headers;
  for (let i = 1; i <= 4; i++) {
    const l = await tokenFor('LABELER', `voter-${i}`);
    labelers.push({ id: l.id, email: l.email });
  }

  const round = await prisma.trainingRound.create({ data: { projectId, number: 1, status: 'SUCCEEDED', preset: 'nano', config: {}, stages: ['sft', 'dpo', 'evaluate', 'publish'] } });
  roundId = round.id;
  bareRoundId = (await prisma.trainingRound.create({ data: { projectId, number: 2, status: 'RUNNING', preset: 'nano', config: {}, stages: ['sft'] } })).id;
  const ck = (name: string, kind: 'POLICY' | 'SFT', inRound: boolean) =>
    prisma.checkpoint.create({ data: { projectId, kind, name, preset: 'nano', uri: name, roundId: inRound ? roundId : null } });
  const candidate = await ck('policy-r1', 'POLICY', true);
  const previous = await ck('policy-r0', 'POLICY', false);
  const sft = await ck('sft-r1', 'SFT', true);

  const ev = await prisma.arenaEvaluation.create({ data: { projectId, name: 'Round 1 vs previous', status: 'OPEN', roundId, votesPerBattle: 4, openedAt: new Date() } });
  evaluationId = ev.id;
  const models = await Promise.all(
    [
      [candidate, 'candidate'],
      [previous, 'previous'],
      [sft, null],
    ].map(([c, role], position) =>
      prisma.arenaModel.create({ data: { evaluationId, checkpointId: (c as { id: string }).id, name: (c as { name: string }).name, position, role: role as string | null } }),
    ),
  );
  const prompts = await Promise.all(
    ['Name a river.', 'Say hello in French.'].map((text) => prisma.prompt.create({ data: { projectId, text, textHash: newId(), split: 'VAL' } })),
  );
  const reply = new Map<string, string>();
  for (const m of models) {
    for (const p of prompts) {
      const r = await prisma.arenaReply.create({ data: { evaluationId, modelId: m.id, promptId: p.id, text: `${m.name} answers "${p.text}"`, tokens: 5 } });
      reply.set(`${m.id}:${p.id}`, r.id);
    }
  }
  let at = Date.parse('2026-12-01T10:00:00.000Z');
  const battle = async (a: number, b: number, p: number, votes: [number, Winner][]) => {
    const [ma, mb, pr] = [models[a], models[b], prompts[p]];
    const bt = await prisma.arenaBattle.create({
      data: { evaluationId, promptId: pr.id, modelAId: ma.id, modelBId: mb.id, replyAId: reply.get(`${ma.id}:${pr.id}`)!, replyBId: reply.get(`${mb.id}:${pr.id}`)!, displaySeed: 7 },
    });
    const task = await prisma.task.create({ data: { projectId, kind: 'ARENA', promptId: pr.id, arenaBattleId: bt.id, wanted: 4 } });
    for (const [who, winner] of votes) {
      const userId = labelers[who].id;
      const asg = await prisma.assignment.create({ data: { taskId: task.id, userId, status: 'SUBMITTED', expiresAt: new Date(at + 60_000), submittedAt: new Date(at) } });
      await prisma.arenaVote.create({ data: { evaluationId, battleId: bt.id, assignmentId: asg.id, userId, winner, swapped: who % 2 === 1, timeMs: 4000, guidelineVersion: 1, createdAt: new Date(at) } });
      at += 1500;
      const outcome = ({ MODEL_A: 'model_a', MODEL_B: 'model_b', TIE: 'tie', BOTH_BAD: 'tie (bothbad)' } as const)[winner];
      expected.push({ modelA: ma.name, modelB: mb.name, winner: outcome });
    }
  };
  // candidate vs previous: 4 wins, 2 losses, 1 tie, 1 both bad (8 votes)
  await battle(0, 1, 0, [[0, 'MODEL_A'], [1, 'MODEL_A'], [2, 'MODEL_B'], [3, 'TIE']]);
  await battle(0, 1, 1, [[0, 'MODEL_A'], [1, 'MODEL_A'], [2, 'BOTH_BAD'], [3, 'MODEL_B']]);
  // candidate vs SFT 3–1; previous vs SFT one win and one tie
  await battle(0, 2, 0, [[0, 'MODEL_A'], [1, 'MODEL_A']]);
  await battle(0, 2, 1, [[0, 'MODEL_A'], [1, 'MODEL_B']]);
  await battle(1, 2, 0, [[0, 'MODEL_A']]);
  await battle(1, 2, 1, [[0, 'TIE']]);
});

afterAll(async () => {
  await prisma.$disconnect();
});

const call = (mod: { GET: (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response> }, url: string, id: string, headers: Record<string, string>) =>
  mod.GET(new Request(`${B}${url}`, { headers }), { params: Promise.resolve({ id }) });

describe('GET /api/arena/:id/results', () => {
  it('ranks the models by Bradley–Terry, the same fit as the pure code, with intervals around each rating', async () => {
    const res = await call(resultsRoute, `/api/arena/${evaluationId}/results`, evaluationId, bearer.admin);
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: ArenaResults };
    expect(results.evaluation).toMatchObject({ id: evaluationId, name: 'Round 1 vs previous', status: 'OPEN', projectId, round: { id: roundId, number: 1 }, votesPerBattle: 4 });
    expect(results.leaderboard.map((r) => [r.name, r.role])).toEqual([['policy-r1', 'candidate'], ['policy-r0', 'previous'], ['sft-r1', null]]);

    const pure = fitRatings(expected);
    for (const row of results.leaderboard) {
      expect(row.rating).toBeCloseTo(pure.get(row.name)!, 6);
      expect(row.ci95![0]).toBeLessThanOrEqual(row.rating!);
      expect(row.ci95![1]).toBeGreaterThanOrEqual(row.rating!);
    }
    expect(results.leaderboard.reduce((s, r) => s + r.rating!, 0) / 3).toBeCloseTo(1000, 6);
    expect(results.leaderboard[0]).toMatchObject({ battles: 12, wins: 7, losses: 3, ties: 1, bothBad: 1, winRate: 8 / 12 });
    expect(results.leaderboard[2]).toMatchObject({ battles: 6, wins: 1, losses: 4, ties: 1, bothBad: 0 });

    expect(results.pairs).toEqual([
      { modelA: 'policy-r1', modelB: 'policy-r0', battles: 8, winsA: 4, winsB: 2, ties: 1, bothBad: 1, winRateA: 5 / 8 },
      { modelA: 'policy-r1', modelB: 'sft-r1', battles: 4, winsA: 3, winsB: 1, ties: 0, bothBad: 0, winRateA: 3 / 4 },
      { modelA: 'policy-r0', modelB: 'sft-r1', battles: 2, winsA: 1, winsB: 0, ties: 1, bothBad: 0, winRateA: 3 / 4 },
    ]);
    expect(results).toMatchObject({ prompts: 2, battles: 6, votes: { done: 14, wanted: 24 } });
    expect(results.labelers.map((l) => l.votes)).toEqual([6, 4, 2, 2]);
    expect(results.labelers[0].judge).toBe(judgeId(labelers[0].id));
  });

  it('gives the same intervals on every read (the bootstrap is seeded by the evaluation)', async () => {
    const read = async () => ((await (await call(resultsRoute, `/api/arena/${evaluationId}/results`, evaluationId, bearer.researcher)).json()) as { results: ArenaResults }).results.leaderboard;
    expect(await read()).toEqual(await read());
  });

  it('lets researchers read, refuses labelers, and names an unknown evaluation', async () => {
    expect((await call(resultsRoute, `/api/arena/${evaluationId}/results`, evaluationId, bearer.researcher)).status).toBe(200);
    const refused = await call(resultsRoute, `/api/arena/${evaluationId}/results`, evaluationId, bearer.labeler);
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('policy-r1');
    const missing = await call(resultsRoute, '/api/arena/nope/results', 'no-such-evaluation', bearer.admin);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('no-such-evaluation');
  });
});

describe('GET /api/arena/:id/export', () => {
  it('writes one Chatbot Arena battle line per vote, in vote order, with an opaque judge', async () => {
    const res = await call(exportRoute, `/api/arena/${evaluationId}/export`, evaluationId, bearer.researcher);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="hone-${slug}-arena-${evaluationId.slice(0, 8)}.jsonl"`);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const text = await res.text();
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as ChatbotArenaBattle);
    expect(lines).toHaveLength(14);
    for (const l of lines) expect(Object.keys(l)).toEqual([...CHATBOT_ARENA_FIELDS]);
    expect(lines.map((l) => [l.model_a, l.model_b, l.winner])).toEqual(expected.map((e) => [e.modelA, e.modelB, e.winner]));
    const first = lines[0];
    expect(first).toMatchObject({ turn: 1, anony: true, judge: judgeId(labelers[0].id), tstamp: Date.parse('2026-12-01T10:00:00.000Z') / 1000 });
    expect(first.conversation_a).toEqual([{ role: 'user', content: 'Name a river.' }, { role: 'assistant', content: 'policy-r1 answers "Name a river."' }]);
    expect(first.conversation_b[1]).toEqual({ role: 'assistant', content: 'policy-r0 answers "Name a river."' });
    const prompt = await prisma.prompt.findFirstOrThrow({ where: { projectId, text: 'Name a river.' } });
    expect(first.question_id).toBe(prompt.id);
    expect(lines[1].tstamp - first.tstamp).toBeCloseTo(1.5, 6);
    expect(new Set(lines.map((l) => l.winner))).toEqual(new Set(['model_a', 'model_b', 'tie', 'tie (bothbad)']));
    // judges are opaque: no email, no user id
    for (const l of labelers) {
      expect(text).not.toContain(l.email);
      expect(text).not.toContain(l.id);
    }
    expect(new Set(lines.map((l) => l.judge)).size).toBe(4);
  });

  it.skipIf(!HAS_DATASETS)('loads with datasets\' json loader (Python), every field typed', async () => {
    const res = await call(exportRoute, `/api/arena/${evaluationId}/export`, evaluationId, bearer.researcher);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'hone-arena-')), 'battles.jsonl');
    writeFileSync(file, await res.text());
    const script = `import datasets, json, sys
d = datasets.load_dataset("json", data_files=sys.argv[1], split="train")
print(json.dumps({"rows": len(d), "columns": sorted(d.column_names), "winners": sorted(set(d["winner"])), "turn": d[0]["conversation_a"][1]["role"]}))`;
    const out = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout.trim().split('\n').pop()!)).toEqual({ rows: 14, columns: [...CHATBOT_ARENA_FIELDS].sort(), winners: ['model_a', 'model_b', 'tie', 'tie (bothbad)'], turn: 'assistant' });
  });

  it('refuses labelers and answers 404 before any byte for an unknown evaluation', async () => {
    expect((await call(exportRoute, `/api/arena/${evaluationId}/export`, evaluationId, bearer.labeler)).status).toBe(403);
    const missing = await call(exportRoute, '/api/arena/x/export', 'no-such-evaluation', bearer.admin);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/json');
  });
});

describe('roundHumanEvaluation', () => {
  it('reports the candidate’s human win rate against the previous policy, ties counted half, with a Wilson interval', async () => {
    const r = await roundHumanEvaluation(roundId);
    expect(r.hasPolicy).toBe(true);
    expect(r.evaluation).toMatchObject({ id: evaluationId, status: 'OPEN', candidate: 'policy-r1', previous: 'policy-r0' });
    expect(r.winRate).toEqual({ rate: 5 / 8, wins: 4, losses: 2, ties: 2, votes: 8, ci95: wilsonInterval(5 / 8, 8) });
  });

  it('has no policy and no evaluation for a round that published nothing', async () => {
    expect(await roundHumanEvaluation(bareRoundId)).toEqual({ hasPolicy: false, evaluation: null, winRate: null });
  });
});
