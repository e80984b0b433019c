// `npm run demo`: the whole loop on this machine, as a new user would see it.
//   1. starts Hone (web app + worker) on its own database `hone_demo` and port (DEMO_PORT, 3190);
//   2. an admin creates a project, imports the whole simulated corpus (1074 prompts about 179
//      subjects) and a first set of completions to rank for 60 of them;
//   3. simulated labelers sign in over HTTP, write demonstrations and rank by a gold preference;
//   4. the admin launches a round on the mini preset (new base pretrained on the project's
//      prompts and demonstrations → SFT → RM → PPO → evaluate → publish) and each stage's
//      metrics print as they come;
//   5. the admin promotes the policy; the sample queue writes the next ranking tasks with it,
//      and a labeler's next ranking task shows its completions;
//   6. the OpenAI-compatible endpoint answers with the new policy.
// Needs Postgres and Redis (see README). Pass --keep to leave Hone running at the end.
import { checkServices } from './services';
import { startHone } from '../lib/sim/app';
import { HoneClient } from '../lib/sim/client';
import { createLabelers, createSimProject } from '../lib/sim/setup';
import { runLabelers } from '../lib/sim/labelers';
import { brief, watchRound } from '../lib/sim/watch';

const t0 = Date.now();
const port = Number(process.env.DEMO_PORT ?? 3190);
const keep = process.argv.includes('--keep');
const say = (msg: string) => console.log(`[demo ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${msg}`);

if (!(await checkServices())) process.exit(1);
say(`starting Hone on http://localhost:${port} (database hone_demo; first start compiles the app, a minute or two)…`);
const app = await startHone({ name: 'demo', port, log: process.env.DEMO_VERBOSE ? (l) => console.log(`  ${l}`) : undefined });
let exitCode = 0;
try {
  const admin = await HoneClient.signIn(app.baseUrl, app.admin.email, app.admin.password);
  say(`signed in as ${app.admin.email}`);
  // Every prompt of the corpus gets a demonstration: they and the prompts are the text the base
  // pretrains on (60 prompts gave a base that wrote "A cat is a farm aget."). Rankings only for
  // the first 60; promotion samples those again at PPO's temperature.
  const project = await createSimProject(admin, {
    name: 'Demo: everyday questions',
    firstSets: 60,
    k: 4,
    overlap: 1,
    samplingParams: { maxPrompts: 60, temperature: 0.7, maxTokens: 48 },
  });
  say(`project "${project.name}": ${project.prompts} prompts (1 subject in 5 held out), ${project.sets} completion sets to rank`);
  const labelers = await createLabelers(admin, 6, 'demo');
  say(`${labelers.length} simulated labelers work the task queue (gold preference, noise 0.1)…`);
  const work = await runLabelers({ baseUrl: app.baseUrl, labelers, projectId: project.id, noise: 0.1 });
  say(`labelers wrote ${work.demonstrations} demonstrations and ${work.rankings} rankings`);

  const settings = {
    pretrain: { steps: 450, batchSize: 16, microBatchSize: 16, checkpointEvery: 150, evalEvery: 150, lr: 3e-3 },
    sft: { steps: 250, batchSize: 16, microBatchSize: 16, checkpointEvery: 50, evalEvery: 50, lr: 2e-3 },
    rm: { steps: 60, batchSize: 8, microBatchSize: 8, checkpointEvery: 20, evalEvery: 20, lr: 3e-4 },
    ppo: { steps: 12, batchSize: 16, miniBatchSize: 8, microBatchSize: 8, ppoEpochs: 2, maxNewTokens: 32, lr: 1e-5, klCoef: 0.2, klTarget: null, missingEosPenalty: 2, checkpointEvery: 4 },
    evaluate: { prompts: 24, samples: 3, maxNewTokens: 32 },
  };
  const { round } = await admin.post<{ round: { id: string; number: number; stages: string[]; snapshotSha: string } }>('/api/rounds', { projectId: project.id, start: 'auto', preset: 'mini', settings });
  say(`launched round ${round.number}: ${round.stages.join(' → ')} (snapshot ${round.snapshotSha.slice(0, 12)}) — watch it at ${app.baseUrl}/admin/rounds/${round.id}`);
  const lastPrint = new Map<string, number>();
  const done = await watchRound(admin, round.id, {
    onStage: (j) => say(`${j.stage.padEnd(8)} ${j.status.toLowerCase()}${j.error ? `: ${j.error}` : ''}`),
    onMetric: (j, step, v) => {
      const now = Date.now();
      if (step === j.totalSteps || now - (lastPrint.get(j.id) ?? 0) > 3000) {
        lastPrint.set(j.id, now);
        const line = brief(j.stage, v);
        if (line) say(`${j.stage.padEnd(8)} step ${String(step).padStart(4)}/${j.totalSteps}  ${line}`);
      }
    },
  });
  if (done.status !== 'SUCCEEDED') throw new Error(`round ${done.number} ${done.status.toLowerCase()}: ${done.error}`);
  const ev = done.evaluation!;
  say(`evaluation ${ev.passed ? 'passed' : 'FAILED'}: RM accuracy on held-out rankings ${ev.rmAccuracy?.toFixed(3)} (${ev.rmPairs} pairs); mean RM score new ${ev.meanScoreCandidate.toFixed(3)} vs previous ${ev.meanScorePrevious.toFixed(3)}; KL ${ev.kl.toFixed(3)}`);
  for (const s of ev.samples) say(`  "${s.prompt}"  previous: "${s.previous}"  new: "${s.candidate}"`);
  say(`published: ${done.checkpoints.map((c) => `${c.kind} ${c.name}`).join(', ')}`);

  const policy = done.checkpoints.find((c) => c.kind === 'POLICY')!;
  const promoted = await admin.post<{ checkpoint: { name: string; sampling: { queued: boolean; reason?: string } } }>(`/api/checkpoints/${policy.id}/promote`, {});
  say(`promoted ${promoted.checkpoint.name}; sampling the next round's completions ${promoted.checkpoint.sampling.queued ? 'queued' : `not queued: ${promoted.checkpoint.sampling.reason}`}`);

  const labeler = await HoneClient.signIn(app.baseUrl, labelers[0].email, labelers[0].password);
  let shown = false;
  for (let i = 0; i < 240 && !shown; i++) {
    const next = await labeler.post<{ task: { taskId: string; kind: string } | null }>('/api/tasks/next', { projectId: project.id, kind: 'RANKING' });
    if (next.task) {
      const { task } = await labeler.get<{ task: { prompt: { text: string }; ranking: { sourceModel: string; completions: { index: number; text: string }[] } } }>(`/api/tasks/${next.task.taskId}`);
      if (task.ranking.sourceModel === policy.name) {
        say(`the next ranking task for ${labelers[0].email} holds completions of ${task.ranking.sourceModel}:`);
        say(`  prompt: "${task.prompt.text}"`);
        for (const c of task.ranking.completions) say(`  [${c.index}] "${c.text}"`);
        shown = true;
        break;
      }
      await labeler.post(`/api/tasks/${next.task.taskId}/skip`, { reason: 'Demo: looking for the new policy’s completions.' });
      continue;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (!shown) throw new Error('no ranking task with the new policy’s completions appeared within 4 minutes');

  const { secret } = await admin.post<{ secret: string }>('/api/tokens', { name: 'demo' });
  const chat = await fetch(`${app.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: project.slug, messages: [{ role: 'user', content: 'What is a cat?' }], max_tokens: 24, temperature: 0.7 }),
  });
  const answer = (await chat.json()) as { choices?: { message: { content: string } }[]; error?: { message: string } };
  say(`POST /v1/chat/completions {model: "${project.slug}", "What is a cat?"} → ${chat.status} "${answer.choices?.[0]?.message.content ?? answer.error?.message}"`);
  say(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s.${keep ? ` Hone keeps running at ${app.baseUrl} (admin ${app.admin.email} / ${app.admin.password}); Ctrl+C stops it.` : ''}`);
} catch (e) {
  exitCode = 1;
  console.error(`[demo] failed: ${(e as Error).message}`);
} finally {
  if (!keep || exitCode) {
    await app.stop();
    process.exit(exitCode);
  }
}
