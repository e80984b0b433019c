// `npm run bench:loop`: R rounds of the whole loop with simulated labelers ranking by the gold
// preference (noise 0.1), on a Hone started for the purpose (database hone_bench, port 3191).
// Labelers write like people: a share of demonstrations (DEMO_NOISE, 0.4) is hurried — no final
// period, or trailing off — while their rankings still prefer careful answers. That is the premise
// of RLHF (judging is easier than writing), so the bench asks whether RM + PPO learn from the
// rankings what imitating the demonstrations (SFT) cannot.
// Each round: labelers work every open task, a round trains (the first from a new base, later
// ones from the active policy), the bench measures it, the policy is promoted and samples the
// next round's ranking tasks. The last line printed is one JSON object:
//   {"rounds":[{"round":1,"rmGoldAccuracy":…,"rmGoldPairs":…,"goldScoreSft":…,"goldScorePpo":…,
//     "klPpoFromSft":…,"stageSeconds":{"PRETRAIN":…,"SFT":…,…},"labels":{…},
//     "sample":{"prompt":…,"ppo":…}, …}, …], …}
// Measures: RM accuracy against the gold preference on every pair of completions of held-out
// (val) prompts that gold can tell apart; mean gold score of replies the SFT and PPO policies
// sample for held-out prompts (temperature 0.7, 8 per prompt, the same seed for both);
// KL(PPO ‖ SFT) on PPO's samples. Held-out prompts are about subjects no stage trained on.
// Env: ROUNDS (2), NOISE (0.1), DEMO_NOISE (0.4), PRESET (mini), PROMPTS (537: the corpus's first
// three templates), LABELERS (8), OVERLAP (2 rankings per set), BENCH_PORT (3191).
import path from 'node:path';
import { checkServices } from '../scripts/services';
import { startHone } from '../lib/sim/app';
import { HoneClient } from '../lib/sim/client';
import { createLabelers, createSimProject } from '../lib/sim/setup';
import { runLabelers } from '../lib/sim/labelers';
import { defaultGold, goldPairAccuracy } from '../lib/sim/gold';
import { watchRound, brief } from '../lib/sim/watch';

const R = Number(process.env.ROUNDS ?? 2);
const NOISE = Number(process.env.NOISE ?? 0.1);
const DEMO_NOISE = Number(process.env.DEMO_NOISE ?? 0.4);
const SAMPLES = 8; // replies per held-out prompt
const MAX_NEW = 32; // tokens per reply, as in PPO and evaluation
const PRESET = process.env.PRESET ?? 'mini';
const PROMPTS = Number(process.env.PROMPTS ?? 537);
const port = Number(process.env.BENCH_PORT ?? 3191);
const t0 = Date.now();
const say = (m: string) => console.log(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(5)}s] ${m}`);

const SETTINGS: Record<string, Record<string, Record<string, unknown>>> = {
  nano: {
    pretrain: { steps: 600, batchSize: 16, microBatchSize: 16, checkpointEvery: 200, evalEvery: 200, lr: 3e-3 },
    sft: { steps: 400, batchSize: 16, microBatchSize: 16, checkpointEvery: 100, evalEvery: 100, lr: 1e-3 },
    rm: { steps: 300, batchSize: 8, microBatchSize: 8, checkpointEvery: 100, evalEvery: 100, lr: 3e-4 },
    ppo: { steps: 60, batchSize: 16, miniBatchSize: 8, microBatchSize: 8, ppoEpochs: 2, maxNewTokens: 32, lr: 1e-4, klCoef: 0.2, klTarget: null, missingEosPenalty: 2, checkpointEvery: 20 },
    evaluate: { prompts: 24, samples: 3, maxNewTokens: 32 },
  },
  // 4 layers × 128, context 128: nano's RM stays under 0.8 in round 2; a small pretraining step took ~3× mini's here.
  mini: {
    pretrain: { steps: 300, batchSize: 16, microBatchSize: 16, checkpointEvery: 100, evalEvery: 100, lr: 3e-3 },
    sft: { steps: 300, batchSize: 16, microBatchSize: 16, checkpointEvery: 100, evalEvery: 100, lr: 1e-3 },
    rm: { steps: 200, batchSize: 8, microBatchSize: 8, checkpointEvery: 100, evalEvery: 100, lr: 2e-4 },
    ppo: { steps: 40, batchSize: 16, miniBatchSize: 8, microBatchSize: 8, ppoEpochs: 2, maxNewTokens: 32, lr: 5e-5, klCoef: 0.2, klTarget: null, missingEosPenalty: 2, checkpointEvery: 20 },
    evaluate: { prompts: 24, samples: 3, maxNewTokens: 32 },
  },
  small: {
    pretrain: { steps: 300, batchSize: 16, microBatchSize: 8, checkpointEvery: 100, evalEvery: 100, lr: 1e-3 },
    sft: { steps: 120, batchSize: 16, microBatchSize: 8, checkpointEvery: 40, evalEvery: 40, lr: 3e-4 },
    rm: { steps: 120, batchSize: 8, microBatchSize: 4, checkpointEvery: 40, evalEvery: 40, lr: 1e-4 },
    ppo: { steps: 30, batchSize: 16, miniBatchSize: 8, microBatchSize: 8, ppoEpochs: 2, maxNewTokens: 24, lr: 1e-5, klCoef: 0.1, klTarget: null, checkpointEvery: 10 },
    evaluate: { prompts: 24, samples: 3, maxNewTokens: 24 },
  },
};

// This process reads the bench's database and checkpoint root too (to measure with lib/ml), so
// they are set before anything reads the environment.
process.env.DATABASE_URL = (() => {
  const u = new URL(process.env.HONE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  u.pathname = '/hone_bench';
  return u.toString();
})();
process.env.HONE_CHECKPOINT_ROOT = path.resolve('var/bench/checkpoints');
if (!(await checkServices())) process.exit(1);
say(`starting Hone on :${port} (database hone_bench), ${R} round(s), preset ${PRESET}, ranking noise ${NOISE}, hurried demonstrations ${DEMO_NOISE}`);
const app = await startHone({ name: 'bench', port });
if (app.checkpointRoot !== process.env.HONE_CHECKPOINT_ROOT) throw new Error(`checkpoint roots differ: ${app.checkpointRoot}`);
const { heldOutCompletionSets, heldOutPrompts, setsSampledBy } = await import('../lib/data/sampling/held-out-sets');
const { initBackend } = await import('../lib/ml/backend');
const { loadLanguageModel, loadRewardModel } = await import('../lib/ml/pipeline/load-models');
const { generate } = await import('../lib/ml/generate');
const { mean, replyLogprobs, rmScores } = await import('../lib/ml/score');
const { resolveUri } = await import('../lib/data/training/paths');
await initBackend({ backend: process.env.HONE_TF_BACKEND || undefined, wasmThreads: process.env.HONE_WASM_THREADS });

type RoundDto = Awaited<ReturnType<typeof watchRound>>;
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
  for (let r = 1; r <= R; r++) {
    const tl = Date.now();
    const work = await runLabelers({ baseUrl: app.baseUrl, labelers, projectId: project.id, noise: NOISE, demonstrationNoise: DEMO_NOISE, seed: r });
    const labelSeconds = Math.round((Date.now() - tl) / 1000);
    say(`round ${r}: labelers wrote ${work.demonstrations} demonstrations, ${work.rankings} rankings in ${labelSeconds} s`);
    const { round } = await admin.post<{ round: { id: string; number: number; stages: string[] } }>('/api/rounds', { projectId: project.id, start: 'auto', preset: PRESET, settings: SETTINGS[PRESET] ?? SETTINGS.nano });
    say(`round ${r}: ${round.stages.join(' → ')}`);
    const done: RoundDto = await watchRound(admin, round.id, {
      onStage: (j) => (j.status === 'SUCCEEDED' || j.status === 'FAILED' ? say(`  ${j.stage} ${j.status.toLowerCase()} ${j.metrics.length ? brief(j.stage, j.metrics.at(-1)!.values) : ''}`) : undefined),
    });
    if (done.status !== 'SUCCEEDED') throw new Error(`round ${r} ${done.status.toLowerCase()}: ${done.error}`);
    const { checkpoints } = await admin.get<{ checkpoints: { id: string; kind: string; uri: string; roundId: string | null }[] }>(`/api/checkpoints?projectId=${project.id}`);
    const mine = checkpoints.filter((c) => c.roundId === round.id);
    const uri = (kind: string) => mine.find((c) => c.kind === kind)!.uri;

    const tm = Date.now();
    // RM against gold on held-out pairs.
    const { rm, tokenizer: tok } = await loadRewardModel(resolveUri(uri('RM')));
    const sets = await heldOutCompletionSets(project.id);
    const scored = [];
    for (const s of sets) scored.push({ prompt: s.prompt, completions: s.completions, scores: await rmScores(rm, tok, s.completions.map(() => [{ role: 'user' as const, content: s.prompt }]), s.completions) });
    const rmGold = goldPairAccuracy(scored, defaultGold);
    rm.dispose();

    // Gold score of SFT and PPO samples on held-out prompts; KL(PPO ‖ SFT).
    const prompts = await heldOutPrompts(project.id);
    const contexts = prompts.flatMap((p) => Array.from({ length: SAMPLES }, () => [{ role: 'user' as const, content: p }]));
    const sft = await loadLanguageModel(resolveUri(uri('SFT')));
    const ppo = await loadLanguageModel(resolveUri(uri('POLICY')));
    const opts = { maxNewTokens: MAX_NEW, temperature: 0.7, seed: 1234 };
    const gSft = await generate(sft.model, tok, contexts, opts);
    const gPpo = await generate(ppo.model, tok, contexts, opts);
    const gold = (gs: { text: string }[]) => mean(gs.map((g, i) => defaultGold(contexts[i][0].content, g.text)));
    const lpP = await replyLogprobs(ppo.model, tok, contexts, gPpo.map((g) => g.ids), 0.7);
    const lpS = await replyLogprobs(sft.model, tok, contexts, gPpo.map((g) => g.ids), 0.7);
    const kl = mean(lpP.map((x, i) => x - lpS[i]));
    sft.model.dispose();
    ppo.model.dispose();

    const stageSeconds = Object.fromEntries(
      done.jobs.filter((j) => j.startedAt && j.finishedAt).map((j) => [j.stage, Math.round((new Date(j.finishedAt!).getTime() - new Date(j.startedAt!).getTime()) / 100) / 10]),
    );
    const res = {
      round: r,
      rmGoldAccuracy: Number(rmGold.accuracy.toFixed(4)),
      rmGoldPairs: rmGold.pairs,
      rmHeldOutAccuracy: done.evaluation?.rmAccuracy ?? null,
      goldScoreSft: Number(gold(gSft).toFixed(4)),
      goldScorePpo: Number(gold(gPpo).toFixed(4)),
      klPpoFromSft: Number(kl.toFixed(4)),
      heldOutPrompts: prompts.length,
      stageSeconds,
      labels: { demonstrations: work.demonstrations, rankings: work.rankings },
      // the round's wall time outside its stages: labelers at work, this bench's own measuring
      otherSeconds: { labeling: labelSeconds, measuring: Math.round((Date.now() - tm) / 1000) } as Record<string, number>,
      // one held-out prompt and what the PPO policy replies (the first of its samples)
      sample: { prompt: prompts[0], ppo: gPpo[0].text },
      samples: gPpo.slice(0, 3 * SAMPLES).filter((_, i) => i % SAMPLES === 0).map((g, i) => ({ prompt: prompts[i], ppo: g.text, sft: gSft[i * SAMPLES].text })),
    };
    results.push(res);
    say(`round ${r}: RM gold accuracy ${res.rmGoldAccuracy} (${res.rmGoldPairs} pairs) · gold score SFT ${res.goldScoreSft} → PPO ${res.goldScorePpo} · KL ${res.klPpoFromSft}`);

    const policy = mine.find((c) => c.kind === 'POLICY')!;
    if (r < R) {
      const tp = Date.now();
      await admin.post(`/api/checkpoints/${policy.id}/promote`, {});
      const deadline = Date.now() + 600_000;
      let n = 0;
      while (Date.now() < deadline) {
        n = await setsSampledBy(policy.id);
        if (n >= project.prompts) break;
        await new Promise((res2) => setTimeout(res2, 2000));
      }
      res.otherSeconds.sampling = Math.round((Date.now() - tp) / 1000);
      say(`round ${r}: promoted; the policy sampled ${n} new completion sets in ${res.otherSeconds.sampling} s`);
    }
  }
} catch (e) {
  code = 1;
  console.error(`[bench] failed: ${(e as Error).stack ?? e}`);
} finally {
  await app.stop();
}
console.log(JSON.stringify({ bench: 'loop', preset: PRESET, noise: NOISE, demonstrationNoise: DEMO_NOISE, rounds: results, wallSeconds: Math.round((Date.now() - t0) / 1000), checkpointRoot: path.relative(process.cwd(), app.checkpointRoot) }));
process.exit(code);
