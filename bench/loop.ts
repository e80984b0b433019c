// `npm run bench:loop [-- --method ppo|dpo|best-of-n] [-- --compare]`: R rounds of the whole loop
// with simulated labelers ranking by the gold preference (noise 0.1), on a Hone started for the
// purpose (database hone_bench, port 3191).
// Labelers write like people: a share of demonstrations (DEMO_NOISE, 0.4) is hurried — no final
// period, or trailing off — while their rankings still prefer careful answers. That is the premise
// of RLHF (judging is easier than writing), so the bench asks whether learning from the rankings
// (RM + PPO, DPO, or the RM picking the best of n samples) beats imitating the demonstrations (SFT).
// Each round: labelers work every open task, a round trains (the first from a new base, later
// ones from the active policy), the bench measures it, the policy is promoted and samples the
// next round's ranking tasks.
//   --method ppo        rounds of sft → rm → ppo (the default)
//   --method dpo        rounds of sft → rm → dpo (the RM only measures; DPO's time is SFT + DPO)
//   --method best-of-n  rounds of sft → rm; the result is the SFT policy sampling the RM's best of
//                       n (BEST_OF, 4); it is promoted with the project's bestOf set, so the next
//                       round's rankings judge best-of-n replies
//   --compare           per round one set of labels and one snapshot: a PPO round, then a DPO round
//                       from that round's SFT on the same snapshot, and best-of-n from that SFT and
//                       RM in this process; all three side by side. The --method's policy (ppo or
//                       dpo) is promoted for the next round.
// Measures, per method: mean gold score of its replies to held-out prompts and of SFT's (8 per
// prompt at temperature 0.7, the same seed for all); KL from SFT on its own samples (best-of-n:
// the analytic bound log n − (n−1)/n); wall time per stage and the method's total (ppo: SFT + RM
// + PPO; dpo: SFT + DPO; best-of-n: SFT + RM + its sampling overhead over plain sampling, measured
// here on the held-out replies); and a simulated arena against the previous policy (round 1: the
// round's SFT; later: the policy the previous round promoted): one vote per held-out reply pair
// (same prompt, same seed) by the gold preference with noise NOISE (lib/sim/arena-sim.ts), the
// win rate (wins + ties/2)/votes and a Bradley–Terry fit with 95% bootstrap intervals.
// Also RM accuracy against the gold preference on every pair of held-out completions gold can
// tell apart. Held-out prompts are about subjects no stage trained on.
// The last line printed is one JSON object: {"bench":"loop","method":…,"compare":…,"rounds":[…]}.
// Env: ROUNDS (2), NOISE (0.1), DEMO_NOISE (0.4), PRESET (mini), PROMPTS (537: the corpus's first
// three templates), LABELERS (8), OVERLAP (2 rankings per set), BEST_OF (4), BENCH_PORT (3191).
import path from 'node:path';
import { checkServices } from '../scripts/services';
import { startHone } from '../lib/sim/app';
import { HoneClient } from '../lib/sim/client';
import { createLabelers, createSimProject } from '../lib/sim/setup';
import { runLabelers } from '../lib/sim/labelers';
import { defaultGold, goldPairAccuracy } from '../lib/sim/gold';
import { watchRound, brief, type RoundDto } from '../lib/sim/watch';
import { simulateArena, simulatedWinRate, type SimBattle } from '../lib/sim/arena-sim';
import { fitBradleyTerry } from '../lib/shared/arena/bradley-terry';

const METHODS = ['ppo', 'dpo', 'best-of-n'] as const;
type Method = (typeof METHODS)[number];
const argv = process.argv.slice(2);
const argOf = (name: string) => {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  return i < 0 ? undefined : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
};
const METHOD = (argOf('--method') ?? 'ppo') as Method;
const COMPARE = argv.includes('--compare');
if (!METHODS.includes(METHOD)) {
  console.error(`[bench] --method must be one of ${METHODS.join(', ')}; got "${METHOD}".`);
  process.exit(2);
}
if (COMPARE && METHOD === 'best-of-n') {
  console.error('[bench] --compare promotes the policy of --method ppo or dpo for the next round; best-of-n has no trained policy of its own to promote there.');
  process.exit(2);
}

const R = Number(process.env.ROUNDS ?? 2);
const NOISE = Number(process.env.NOISE ?? 0.1);
const DEMO_NOISE = Number(process.env.DEMO_NOISE ?? 0.4);
const BEST_OF = Number(process.env.BEST_OF ?? 4);
const SAMPLES = 8; // replies per held-out prompt
const MAX_NEW = 32; // tokens per reply, as in PPO and evaluation
const SEED = 1234; // every method samples its held-out replies with this seed
const PRESET = process.env.PRESET ?? 'mini';
const PROMPTS = Number(process.env.PROMPTS ?? 537);
const port = Number(process.env.BENCH_PORT ?? 3191);
const t0 = Date.now();
const say = (m: string) => console.log(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(5)}s] ${m}`);

// dpo: started at the RM's steps, β 0.1, SFT's lr / 3; on nano that drifted far from SFT (KL 36–37
// nats, gold −0.33 and −0.01 against SFT in a 2-round --compare, 2026-12-03), and lr 5e-5 × 300
// steps still did (KL 13); β 0.5, lr 5e-5, 100 steps kept KL at 1.5 (gold 0.73 vs SFT 0.77).
const SETTINGS: Record<string, Record<string, Record<string, unknown>>> = {
  nano: {
    pretrain: { steps: 600, batchSize: 16, microBatchSize: 16, checkpointEvery: 200, evalEvery: 200, lr: 3e-3 },
    sft: { steps: 400, batchSize: 16, microBatchSize: 16, checkpointEvery: 100, evalEvery: 100, lr: 1e-3 },
    rm: { steps: 300, batchSize: 8, microBatchSize: 8, checkpointEvery: 100, evalEvery: 100, lr: 3e-4 },
    ppo: { steps: 60, batchSize: 16, miniBatchSize: 8, microBatchSize: 8, ppoEpochs: 2, maxNewTokens: 32, lr: 1e-4, klCoef: 0.2, klTarget: null, missingEosPenalty: 2, checkpointEvery: 20 },
    dpo: { steps: 100, batchSize: 8, microBatchSize: 8, checkpointEvery: 50, evalEvery: 50, lr: 5e-5, beta: 0.5 },
    evaluate: { prompts: 24, samples: 3, maxNewTokens: 32 },
  },
  // 4 layers × 128, context 128: nano's RM stays under 0.8 in round 2; a small pretraining step took ~3× mini's here.
  mini: {
    pretrain: { steps: 300, batchSize: 16, microBatchSize: 16, checkpointEvery: 100, evalEvery: 100, lr: 3e-3 },
    sft: { steps: 300, batchSize: 16, microBatchSize: 16, checkpointEvery: 100, evalEvery: 100, lr: 1e-3 },
    rm: { steps: 200, batchSize: 8, microBatchSize: 8, checkpointEvery: 100, evalEvery: 100, lr: 2e-4 },
    ppo: { steps: 40, batchSize: 16, miniBatchSize: 8, microBatchSize: 8, ppoEpochs: 2, maxNewTokens: 32, lr: 5e-5, klCoef: 0.2, klTarget: null, missingEosPenalty: 2, checkpointEvery: 20 },
    dpo: { steps: 100, batchSize: 8, microBatchSize: 8, checkpointEvery: 50, evalEvery: 50, lr: 5e-5, beta: 0.5 },
    evaluate: { prompts: 24, samples: 3, maxNewTokens: 32 },
  },
  small: {
    pretrain: { steps: 300, batchSize: 16, microBatchSize: 8, checkpointEvery: 100, evalEvery: 100, lr: 1e-3 },
    sft: { steps: 120, batchSize: 16, microBatchSize: 8, checkpointEvery: 40, evalEvery: 40, lr: 3e-4 },
    rm: { steps: 120, batchSize: 8, microBatchSize: 4, checkpointEvery: 40, evalEvery: 40, lr: 1e-4 },
    ppo: { steps: 30, batchSize: 16, miniBatchSize: 8, microBatchSize: 8, ppoEpochs: 2, maxNewTokens: 24, lr: 1e-5, klCoef: 0.1, klTarget: null, checkpointEvery: 10 },
    dpo: { steps: 60, batchSize: 8, microBatchSize: 4, checkpointEvery: 30, evalEvery: 30, lr: 2e-5, beta: 0.5 },
    evaluate: { prompts: 24, samples: 3, maxNewTokens: 24 },
  },
};
const STAGES: Record<Method, string[]> = { ppo: ['sft', 'rm', 'ppo'], dpo: ['sft', 'rm', 'dpo'], 'best-of-n': ['sft', 'rm'] };

// This process reads the bench's database and checkpoint root too (to measure with lib/ml), so
// they are set before anything reads the environment.
process.env.DATABASE_URL = (() => {
  const u = new URL(process.env.HONE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  u.pathname = '/hone_bench';
  return u.toString();
})();
process.env.HONE_CHECKPOINT_ROOT = path.resolve('var/bench/checkpoints');
if (!(await checkServices())) process.exit(1);
say(`starting Hone on :${port} (database hone_bench), ${R} round(s), ${COMPARE ? `compare ppo · dpo · best-of-${BEST_OF} (promoting ${METHOD})` : `method ${METHOD}${METHOD === 'best-of-n' ? ` (n ${BEST_OF})` : ''}`}, preset ${PRESET}, ranking noise ${NOISE}, hurried demonstrations ${DEMO_NOISE}`);
const app = await startHone({ name: 'bench', port });
if (app.checkpointRoot !== process.env.HONE_CHECKPOINT_ROOT) throw new Error(`checkpoint roots differ: ${app.checkpointRoot}`);
const { heldOutCompletionSets, heldOutPrompts, setsSampledBy } = await import('../lib/data/sampling/held-out-sets');
const { initBackend } = await import('../lib/ml/backend');
const { loadLanguageModel, loadRewardModel } = await import('../lib/ml/pipeline/load-models');
const { generate } = await import('../lib/ml/generate');
const { bestOfN, bestOfNKl } = await import('../lib/ml/best-of-n');
const { mean, replyLogprobs, rmScores } = await import('../lib/ml/score');
const { resolveUri } = await import('../lib/data/training/paths');
await initBackend({ backend: process.env.HONE_TF_BACKEND || undefined, wasmThreads: process.env.HONE_WASM_THREADS });

type Round = RoundDto & { snapshot: { id: string } | null };
type Ck = { id: string; kind: string; uri: string; name: string; roundId: string | null };
type Ctx = { role: 'user'; content: string }[];
/** How a policy answers: its folder, and the RM folder when it samples best-of-n. */
type Answerer = { name: string; uri: string; rmUri?: string };
type MethodResult = {
  goldScore: number;
  goldGainOverSft: number;
  klFromSft: number;
  klNote?: string;
  /** best-of-n: RM agreement with gold on the pairs of SFT samples it chose between. */
  rmGoldAccuracyOnCandidates?: number;
  rmGoldPairsOnCandidates?: number;
  stageSeconds: Record<string, number>;
  totalSeconds: number;
  arena: Record<string, unknown>;
  sample: { prompt: string; reply: string };
};

const r4 = (x: number) => Number(x.toFixed(4));
const stageSecondsOf = (round: Round) =>
  Object.fromEntries(round.jobs.filter((j) => j.startedAt && j.finishedAt).map((j) => [j.stage, Math.round((new Date(j.finishedAt!).getTime() - new Date(j.startedAt!).getTime()) / 100) / 10])) as Record<string, number>;
const sum = (xs: (number | undefined)[]) => Math.round(xs.reduce<number>((a, x) => a + (x ?? 0), 0) * 10) / 10;

const results: Record<string, unknown>[] = [];
let code = 0;
try {
  const admin = await HoneClient.signIn(app.baseUrl, app.admin.email, app.admin.password);
  // Each promotion samples every prompt at PPO's temperature and reply length, so the next
  // round's rankings judge what the policy actually writes.
  const samplingParams = { maxPrompts: 10_000, temperature: 0.7, maxTokens: MAX_NEW };
  const project = await createSimProject(admin, { name: 'Bench: everyday questions', prompts: PROMPTS, k: 4, overlap: Number(process.env.OVERLAP ?? 2), samplingParams });
  const labelers = await createLabelers(admin, Number(process.env.LABELERS ?? 8), 'bench');
  say(`project with ${project.prompts} prompts, ${project.sets} first completion sets`);
  const opts = { maxNewTokens: MAX_NEW, temperature: 0.7, seed: SEED };
  let previous: Answerer | null = null; // the policy the last round promoted

  /** Launches a round and follows it to the end; its checkpoints by kind. */
  const runRound = async (body: Record<string, unknown>): Promise<{ round: Round; ck: (kind: string) => Ck }> => {
    const { round } = await admin.post<{ round: { id: string; stages: string[] } }>('/api/rounds', { projectId: project.id, settings: SETTINGS[PRESET] ?? SETTINGS.nano, ...body });
    say(`  round ${round.stages.join(' → ')}`);
    const done = (await watchRound(admin, round.id, {
      onStage: (j) => (j.status === 'SUCCEEDED' || j.status === 'FAILED' ? say(`    ${j.stage} ${j.status.toLowerCase()} ${j.metrics.length ? brief(j.stage, j.metrics.at(-1)!.values) : ''}`) : undefined),
    })) as Round;
    if (done.status !== 'SUCCEEDED') throw new Error(`round ${round.id} ${done.status.toLowerCase()}: ${done.error}`);
    const { checkpoints } = await admin.get<{ checkpoints: Ck[] }>(`/api/checkpoints?projectId=${project.id}`);
    const mine = checkpoints.filter((c) => c.roundId === round.id);
    return { round: done, ck: (kind) => mine.find((c) => c.kind === kind) ?? (() => { throw new Error(`round ${done.number} published no ${kind} checkpoint`); })() };
  };

  for (let r = 1; r <= R; r++) {
    const tl = Date.now();
    const work = await runLabelers({ baseUrl: app.baseUrl, labelers, projectId: project.id, noise: NOISE, demonstrationNoise: DEMO_NOISE, seed: r });
    const labelSeconds = Math.round((Date.now() - tl) / 1000);
    say(`round ${r}: labelers wrote ${work.demonstrations} demonstrations, ${work.rankings} rankings in ${labelSeconds} s`);

    // Training: the method's round, or (compare) a PPO round and a DPO round on its snapshot.
    const main = await runRound({ start: 'auto', preset: PRESET, stages: COMPARE ? STAGES.ppo : STAGES[METHOD] });
    const sftCk = main.ck('SFT');
    const rmCk = main.ck('RM');
    const dpoRun = COMPARE ? await runRound({ start: sftCk.id, stages: ['dpo'], snapshotId: main.round.snapshot!.id }) : null;
    const policies: Partial<Record<Method, Ck>> = COMPARE ? { ppo: main.ck('POLICY'), dpo: dpoRun!.ck('POLICY') } : METHOD === 'best-of-n' ? {} : { [METHOD]: main.ck('POLICY') };

    const tm = Date.now();
    // RM against gold on held-out pairs.
    const { rm, tokenizer: tok } = await loadRewardModel(resolveUri(rmCk.uri));
    const sets = await heldOutCompletionSets(project.id);
    const scored = [];
    for (const s of sets) scored.push({ prompt: s.prompt, completions: s.completions, scores: await rmScores(rm, tok, s.completions.map(() => [{ role: 'user' as const, content: s.prompt }]), s.completions) });
    const rmGold = goldPairAccuracy(scored, defaultGold);

    // Held-out replies: SFT's, each trained policy's, best-of-n from SFT + RM, all with one seed.
    const prompts = await heldOutPrompts(project.id);
    const contexts: Ctx[] = prompts.flatMap((p) => Array.from({ length: SAMPLES }, () => [{ role: 'user' as const, content: p }]));
    const gold = (texts: string[]) => mean(texts.map((t, i) => defaultGold(contexts[i][0].content, t)));
    const sft = await loadLanguageModel(resolveUri(sftCk.uri));
    let tp = Date.now();
    const sftTexts = (await generate(sft.model, tok, contexts, opts)).map((g) => g.text);
    const plainSeconds = (Date.now() - tp) / 1000;
    const goldSft = gold(sftTexts);
    const texts: Partial<Record<Method, string[]>> = {};
    const kls: Partial<Record<Method, number>> = {};
    for (const [m, ck] of Object.entries(policies) as [Method, Ck][]) {
      const pol = await loadLanguageModel(resolveUri(ck.uri));
      const g = await generate(pol.model, tok, contexts, opts);
      texts[m] = g.map((x) => x.text);
      const lpP = await replyLogprobs(pol.model, tok, contexts, g.map((x) => x.ids), 0.7);
      const lpS = await replyLogprobs(sft.model, tok, contexts, g.map((x) => x.ids), 0.7);
      kls[m] = mean(lpP.map((x, i) => x - lpS[i]));
      pol.model.dispose();
    }
    let bestOfSeconds = 0;
    let candidatesGold: { accuracy: number; pairs: number } | null = null;
    if (COMPARE || METHOD === 'best-of-n') {
      tp = Date.now();
      const picks = await bestOfN({ policy: sft.model, rm, tokenizer: tok, contexts, n: BEST_OF, generate: opts });
      bestOfSeconds = (Date.now() - tp) / 1000;
      texts['best-of-n'] = picks.map((x) => x.text);
      // how well the RM ranks what it actually chooses between: SFT's own samples, not the labeled sets
      candidatesGold = goldPairAccuracy(picks.map((x, k) => ({ prompt: contexts[k][0].content, completions: x.candidates.map((c) => c.text), scores: x.candidates.map((c) => c.score) })), defaultGold);
      kls['best-of-n'] = bestOfNKl(BEST_OF);
    }

    // The simulated arena: every method against the previous policy (round 1: this round's SFT).
    const opponent = previous ? `${previous.name} (promoted in round ${r - 1})` : `SFT ${sftCk.name}`;
    let previousTexts = sftTexts;
    if (previous) {
      const prev = await loadLanguageModel(resolveUri(previous.uri));
      if (previous.rmUri) {
        const prevRm = await loadRewardModel(resolveUri(previous.rmUri));
        previousTexts = (await bestOfN({ policy: prev.model, rm: prevRm.rm, tokenizer: tok, contexts, n: BEST_OF, generate: opts })).map((x) => x.text);
        prevRm.rm.dispose();
      } else previousTexts = (await generate(prev.model, tok, contexts, opts)).map((g) => g.text);
      prev.model.dispose();
    }
    rm.dispose();
    sft.model.dispose();
    const allBattles: SimBattle[] = [];
    const arenaOf = (m: Method, i: number) => {
      const battles = simulateArena(
        contexts.map((c, k) => ({ prompt: c[0].content, a: texts[m]![k], b: previousTexts[k] })),
        { modelA: m, modelB: 'previous', noise: NOISE, seed: r * 100 + i },
      );
      allBattles.push(...battles);
      const wr = simulatedWinRate(battles);
      const bt = fitBradleyTerry(battles, { bootstrap: 200, seed: r });
      const me = bt.models.find((x) => x.model === m)!;
      const them = bt.models.find((x) => x.model === 'previous')!;
      return { against: opponent, winRate: r4(wr.rate), wins: wr.wins, losses: wr.losses, ties: wr.ties, bothBad: wr.bothBad, votes: wr.votes, rating: Math.round(me.rating), ci95: me.ci95.map(Math.round), opponentRating: Math.round(them.rating), opponentCi95: them.ci95.map(Math.round) };
    };

    const sSft = stageSecondsOf(main.round);
    const sDpo = dpoRun ? stageSecondsOf(dpoRun.round) : sSft;
    const run: Method[] = COMPARE ? [...METHODS] : [METHOD];
    const methods: Partial<Record<Method, MethodResult>> = {};
    run.forEach((m, i) => {
      const stageSeconds: Record<string, number> =
        m === 'ppo' ? { SFT: sSft.SFT, RM: sSft.RM, PPO: sSft.PPO } : m === 'dpo' ? { SFT: sSft.SFT, DPO: sDpo.DPO } : { SFT: sSft.SFT, RM: sSft.RM, bestOfSampling: Math.round(Math.max(0, bestOfSeconds - plainSeconds) * 10) / 10 };
      methods[m] = {
        goldScore: r4(gold(texts[m]!)),
        goldGainOverSft: r4(gold(texts[m]!) - goldSft),
        klFromSft: r4(kls[m]!),
        ...(m === 'best-of-n' ? { klNote: `analytic bound log n − (n−1)/n for n = ${BEST_OF}, not measured`, rmGoldAccuracyOnCandidates: r4(candidatesGold!.accuracy), rmGoldPairsOnCandidates: candidatesGold!.pairs } : {}),
        stageSeconds,
        totalSeconds: sum(Object.values(stageSeconds)),
        arena: arenaOf(m, i),
        sample: { prompt: prompts[0], reply: texts[m]![0] },
      };
    });
    const ranked = (Object.entries(methods) as [Method, MethodResult][]).sort((a, b) => b[1].goldScore - a[1].goldScore);
    // One leaderboard of every method and the previous policy, from all the round's votes.
    const board = fitBradleyTerry(allBattles, { bootstrap: 200, seed: r }).models.map((x) => ({ model: x.model, rating: Math.round(x.rating), ci95: x.ci95.map(Math.round), winRate: r4(x.winRate) }));

    const res: Record<string, unknown> = {
      round: r,
      method: COMPARE ? 'compare' : METHOD,
      rmGoldAccuracy: r4(rmGold.accuracy),
      rmGoldPairs: rmGold.pairs,
      rmHeldOutAccuracy: main.round.evaluation?.rmAccuracy ?? null,
      goldScoreSft: r4(goldSft),
      heldOutPrompts: prompts.length,
      arenaVotesPerMethod: contexts.length,
      arenaOpponent: opponent,
      labels: { demonstrations: work.demonstrations, rankings: work.rankings },
      stageSeconds: { ...sSft, ...(dpoRun ? { DPO: sDpo.DPO, EVALUATE_DPO: sDpo.EVALUATE, PUBLISH_DPO: sDpo.PUBLISH } : {}) },
      // the round's wall time outside its stages: labelers at work, this bench's own measuring
      otherSeconds: { labeling: labelSeconds, measuring: Math.round((Date.now() - tm) / 1000) } as Record<string, number>,
      ...(COMPARE
        ? { methods, winner: ranked[0][0], margins: Object.fromEntries(ranked.slice(1).map(([m, x]) => [m, r4(ranked[0][1].goldScore - x.goldScore)])), arenaLeaderboard: board }
        : { ...methods[METHOD]!, ...(METHOD === 'ppo' ? { goldScorePpo: methods.ppo!.goldScore, klPpoFromSft: methods.ppo!.klFromSft } : {}) }),
      samples: prompts.slice(0, 3).map((p, i) => ({ prompt: p, sft: sftTexts[i * SAMPLES], ...Object.fromEntries(run.map((m) => [m, texts[m]![i * SAMPLES]])) })),
    };
    results.push(res);
    say(`round ${r}: RM gold accuracy ${res.rmGoldAccuracy} (${res.rmGoldPairs} pairs) · gold score SFT ${res.goldScoreSft} · arena against ${opponent}, ${contexts.length} votes per method`);
    const cell = (s: string, w: number) => s.padEnd(w) + ' │ ';
    say(`  ${cell('method', 9)}${cell('gold (Δ SFT)', 16)}${cell('KL', 7)}${cell('wall s', 6)}${cell('stages, s', 38)}arena vs previous: win rate (votes) · BT rating [95% CI] vs its`);
    for (const [m, x] of ranked)
      say(
        `  ${cell(m, 9)}${cell(`${x.goldScore.toFixed(3)} (${x.goldGainOverSft >= 0 ? '+' : ''}${x.goldGainOverSft.toFixed(3)})`, 16)}${cell(`${x.klFromSft.toFixed(2)}${x.klNote ? '*' : ''}`, 7)}${cell(String(Math.round(x.totalSeconds)), 6)}${cell(Object.entries(x.stageSeconds).map(([k, v]) => `${k === 'bestOfSampling' ? 'sampling' : k} ${Math.round(v)}`).join(' · '), 38)}${(x.arena.winRate as number).toFixed(3)} (${x.arena.votes}) · ${x.arena.rating} [${(x.arena.ci95 as number[]).join(', ')}] vs ${x.arena.opponentRating}`,
      );
    if (candidatesGold) say(`  best-of-${BEST_OF}: the RM agrees with gold on ${candidatesGold.pairs} pairs of SFT samples it chose between at ${candidatesGold.accuracy.toFixed(3)}${texts['best-of-n'] ? ' · * KL is the analytic bound' : ''}`);
    if (COMPARE) say(`  winner by gold score: ${res.winner}, ahead of ${Object.entries(res.margins as Record<string, number>).map(([m, d]) => `${m} by ${d.toFixed(3)}`).join(', ')}`);

    if (r < R) {
      // The next round starts from, and its rankings judge, the method's policy.
      const promote = COMPARE ? policies[METHOD]! : main.ck('POLICY');
      if (!COMPARE && METHOD === 'best-of-n' && r === 1) await admin.request('PATCH', `/api/projects/${project.id}`, { samplingParams: { bestOf: BEST_OF } });
      const tp2 = Date.now();
      await admin.post(`/api/checkpoints/${promote.id}/promote`, {});
      const deadline = Date.now() + 600_000;
      let n = 0;
      while (Date.now() < deadline) {
        n = await setsSampledBy(promote.id);
        if (n >= project.prompts) break;
        await new Promise((res2) => setTimeout(res2, 2000));
      }
      (res.otherSeconds as Record<string, number>).sampling = Math.round((Date.now() - tp2) / 1000);
      say(`round ${r}: promoted ${promote.name}; it sampled ${n} new completion sets${METHOD === 'best-of-n' && !COMPARE ? ` (each completion the best of ${BEST_OF} by ${rmCk.name})` : ''} in ${(res.otherSeconds as Record<string, number>).sampling} s`);
      previous = { name: `${METHOD} ${promote.name}`, uri: promote.uri, ...(METHOD === 'best-of-n' && !COMPARE ? { rmUri: rmCk.uri } : {}) };
    }
  }
} catch (e) {
  code = 1;
  console.error(`[bench] failed: ${(e as Error).stack ?? e}`);
} finally {
  await app.stop();
}
console.log(JSON.stringify({ bench: 'loop', method: METHOD, compare: COMPARE, bestOf: BEST_OF, preset: PRESET, noise: NOISE, demonstrationNoise: DEMO_NOISE, rounds: results, wallSeconds: Math.round((Date.now() - t0) / 1000), checkpointRoot: path.relative(process.cwd(), app.checkpointRoot) }));
process.exit(code);
