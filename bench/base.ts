// `npm run bench:base`: a real-size base model in the loop. Writes a Hugging Face folder of
// GPT-2 124M's shape (12 layers × 768, context 1024, GPT-2's vocabulary; random weights, as no
// model hub is reachable here), registers it through the API of a Hone started for the purpose
// (database hone_benchbase, port 3192), then runs one small round on it (a few SFT, RM and PPO
// steps, evaluate, publish) with simulated labelers' data. The last line printed is one JSON
// object: registration seconds, the round's wall time, per stage seconds and tokens/s (SFT and
// RM: trained tokens; PPO: sampled tokens and trained steps), and the worker's peak memory
// (VmHWM of its process, read from /proc while it runs).
// Env: BENCH_PORT (3192), SFT_STEPS (4), RM_STEPS (4), PPO_STEPS (2), MAX_LENGTH (128).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { checkServices } from '../scripts/services';
import { startHone } from '../lib/sim/app';
import { HoneClient } from '../lib/sim/client';
import { createLabelers, createSimProject } from '../lib/sim/setup';
import { runLabelers } from '../lib/sim/labelers';
import { watchRound, brief } from '../lib/sim/watch';
import { writeHfGpt2Folder } from '../lib/ml/checkpoint/make-hf-folder';

const port = Number(process.env.BENCH_PORT ?? 3192);
const MAX_LENGTH = Number(process.env.MAX_LENGTH ?? 128);
const t0 = Date.now();
const say = (m: string) => console.log(`[bench:base ${((Date.now() - t0) / 1000).toFixed(0).padStart(5)}s] ${m}`);
const secondsSince = (t: number) => Math.round((Date.now() - t) / 100) / 10;

// A few steps of each stage, micro-batches a 124M model takes on a CPU worker.
const SETTINGS = {
  sft: { steps: Number(process.env.SFT_STEPS ?? 4), batchSize: 4, microBatchSize: 2, maxLength: MAX_LENGTH, evalEvery: 100, checkpointEvery: 100, evalFraction: 0.1, lr: 1e-5, warmupSteps: 0 },
  rm: { steps: Number(process.env.RM_STEPS ?? 4), batchSize: 4, microBatchSize: 2, maxLength: MAX_LENGTH, evalEvery: 100, checkpointEvery: 100, lr: 1e-5, warmupSteps: 0 },
  ppo: { steps: Number(process.env.PPO_STEPS ?? 2), batchSize: 4, miniBatchSize: 4, microBatchSize: 2, ppoEpochs: 1, maxNewTokens: 16, checkpointEvery: 100, lr: 1e-6 },
  evaluate: { prompts: 4, samples: 1, maxNewTokens: 16 },
};

/** Peak resident memory (VmHWM) of a process, in bytes; null when /proc cannot tell. */
async function peakRss(pid: number): Promise<number | null> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const m = status && /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : null;
}

/** The pid of this Hone's worker process (scripts/start.ts runs it beside the web app). */
async function workerPid(redisPrefix: string): Promise<number> {
  for (const entry of await fs.readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = await fs.readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (!cmd.includes('worker/main.ts')) continue;
    const environ = await fs.readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').includes(`HONE_REDIS_PREFIX=${redisPrefix}`)) return Number(entry);
  }
  return NaN;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

if (!(await checkServices())) process.exit(1);
say(`starting Hone on :${port} (database hone_benchbase)`);
const app = await startHone({ name: 'benchbase', port });
const out: Record<string, unknown> = { bench: 'base' };
let code = 0;
try {
  const admin = await HoneClient.signIn(app.baseUrl, app.admin.email, app.admin.password);
  const project = await createSimProject(admin, { name: 'Bench: a GPT-2-size base', k: 4, overlap: 1 });
  const labelers = await createLabelers(admin, 4, 'benchbase');
  const work = await runLabelers({ baseUrl: app.baseUrl, labelers, projectId: project.id, noise: 0.1, seed: 1 });
  say(`labelers wrote ${work.demonstrations} demonstrations and ${work.rankings} rankings`);

  let t = Date.now();
  const folder = path.join(app.modelsDir, 'gpt2-124m-random');
  await writeHfGpt2Folder(folder, { nLayer: 12, nEmbd: 768, nHead: 12, nPositions: 1024, attnBias: true });
  say(`wrote a GPT-2 124M-shape folder (random weights) in ${secondsSince(t)} s`);
  t = Date.now();
  const { checkpoint } = await admin.post<{ checkpoint: { id: string; preset: string; sizeBytes: number; metrics: { parameters: number } } }>(`/api/projects/${project.id}/bases`, { folder: 'gpt2-124m-random' });
  out.registerSeconds = secondsSince(t);
  out.parameters = checkpoint.metrics.parameters;
  out.shape = checkpoint.preset;
  say(`registered ${checkpoint.preset} (${(checkpoint.metrics.parameters / 1e6).toFixed(1)}M parameters, ${(checkpoint.sizeBytes / 1e6).toFixed(0)} MB) in ${out.registerSeconds} s`);

  const pid = await workerPid('hone_benchbase');
  const health = await admin.get<{ worker?: { backend?: string | null; engine?: string | null } }>('/api/health').catch(() => ({}) as { worker?: { backend?: string | null; engine?: string | null } });
  out.backend = health.worker?.backend ?? null;
  out.engine = health.worker?.engine ?? null;

  t = Date.now();
  const { round } = await admin.post<{ round: { id: string; stages: string[] } }>('/api/rounds', { projectId: project.id, start: checkpoint.id, settings: SETTINGS });
  say(`round: ${round.stages.join(' → ')}`);
  let peak: number | null = null;
  const done = await watchRound(admin, round.id, {
    onStage: (j) => (j.status === 'SUCCEEDED' || j.status === 'FAILED' ? say(`  ${j.stage} ${j.status.toLowerCase()} ${j.metrics.length ? brief(j.stage, j.metrics.at(-1)!.values) : ''}`) : undefined),
    onMetric: () => {
      if (Number.isFinite(pid)) void peakRss(pid).then((p) => (peak = p === null ? peak : Math.max(peak ?? 0, p)));
    },
  });
  out.roundSeconds = secondsSince(t);
  if (Number.isFinite(pid)) peak = Math.max(peak ?? 0, (await peakRss(pid)) ?? 0) || null;
  if (done.status !== 'SUCCEEDED') throw new Error(`the round ${done.status.toLowerCase()}: ${done.error}`);
  out.stages = Object.fromEntries(
    done.jobs.map((j) => {
      const seconds = j.startedAt && j.finishedAt ? Math.round((new Date(j.finishedAt).getTime() - new Date(j.startedAt).getTime()) / 100) / 10 : null;
      const per = (k: string) => round1(mean(j.metrics.map((m) => m.values[k]).filter((v): v is number => typeof v === 'number')));
      const speed = j.stage === 'PPO' ? { sampleTokensPerSecond: per('sample_tokens_per_s') } : j.stage === 'SFT' || j.stage === 'RM' ? { tokensPerSecond: per('tokens_per_s') } : {};
      return [j.stage, { seconds, steps: j.step, ...speed }];
    }),
  );
  out.peakWorkerRssBytes = peak;
  out.settings = SETTINGS;
  say(`round finished in ${out.roundSeconds} s; worker peak memory ${peak ? (peak / 1024 ** 3).toFixed(2) : '?'} GiB`);
} catch (e) {
  code = 1;
  console.error(`[bench:base] failed: ${(e as Error).stack ?? e}`);
} finally {
  await app.stop();
}
out.wallSeconds = secondsSince(t0);
console.log(JSON.stringify(out));
process.exit(code);
