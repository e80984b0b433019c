// `npm run test:faults`: the fault suite of issue #14. Starts its own Postgres cluster, Redis, web
// server and worker (environment.ts), runs each fault scenario in turn against them, and asserts
// what the issue asks: acknowledged submissions stored exactly once, rounds and exports that end
// cleanly within a bound, no project blocked, and requests during outages answered 503 fast. The
// last line printed is one JSON object with the counts; the exit code is 1 when any check failed.
import { writeFileSync } from 'node:fs';
import { startEnvironment, type Environment } from './environment';
import { HANG_MS } from './http';
import { Report } from './report';
import * as workerKill from './scenarios/worker-kill';
import * as webKill from './scenarios/web-kill';
import * as exportRestart from './scenarios/restart-during-export';
import { restartDuringRound } from './scenarios/restart-during-round';
import { restartDuringLabeling } from './scenarios/restart-during-labeling';

const PG_DOWN_MS = Number(process.env.FAULTS_PG_DOWN_S ?? 12) * 1000;
const REDIS_DOWN_MS = Number(process.env.FAULTS_REDIS_DOWN_S ?? 10) * 1000;

type Scenario = { name: string; run: (env: Environment, report: Report) => Promise<void> };
const SCENARIOS: Scenario[] = [
  { name: workerKill.name, run: workerKill.run },
  { name: 'redis restart during a round', run: (e, r) => restartDuringRound(e, r, 'redis', REDIS_DOWN_MS) },
  { name: 'redis restart during labeling', run: (e, r) => restartDuringLabeling(e, r, 'redis', REDIS_DOWN_MS) },
  { name: 'postgres restart during a round', run: (e, r) => restartDuringRound(e, r, 'postgres', PG_DOWN_MS) },
  { name: 'postgres restart during labeling', run: (e, r) => restartDuringLabeling(e, r, 'postgres', PG_DOWN_MS) },
  { name: exportRestart.name, run: (e, r) => exportRestart.run(e, r, PG_DOWN_MS) },
  { name: webKill.name, run: webKill.run },
];

const log = (msg: string) => console.error(`[faults] ${msg}`);

/** The error line of a crashed process's output and the frames under it, else its last lines. */
function crashExcerpt(output: string): string {
  const lines = output.split('\n');
  const at = lines.findIndex((l) => /^\w*Error\b/.test(l.trim()));
  return (at >= 0 ? lines.slice(at, at + 12) : lines.slice(-12)).map((l) => l.trim()).filter(Boolean).join(' ');
}
const only = process.env.FAULTS_ONLY?.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
const chosen = only?.length ? SCENARIOS.filter((s) => only.some((o) => s.name.toLowerCase().includes(o))) : SCENARIOS;

const started = Date.now();
const report = new Report();
let env: Environment | undefined;
let setupError: string | null = null;
try {
  log('starting Postgres, Redis, seeding, the web server and a worker…');
  env = await startEnvironment();
  log(`ready in ${Math.round((Date.now() - started) / 1000)} s (${JSON.stringify(env.timings)})`);
  for (const s of chosen) {
    const t = Date.now();
    const crashesBefore = env.workerCrashes.length;
    log(`── ${s.name}`);
    try {
      await s.run(env, report);
    } catch (e) {
      report.check(s.name, 'the scenario ran to its end', false, (e as Error).stack ?? String(e));
    }
    // Every scenario leaves a working app behind for the next: the web server and a worker.
    report.check(s.name, 'the web server is still running afterwards', env.web.running, env.web.running ? '' : env.web.tail(1500));
    if (!env.web.running) await env.startWeb();
    const crashes = env.workerCrashes.slice(crashesBefore);
    report.check(s.name, 'no worker crashed (the suite restarts a crashed one, as a supervisor would)', crashes.length === 0, crashes.map(crashExcerpt).join(' | '));
    report.scenarioSeconds[s.name] = Math.round((Date.now() - t) / 1000);
    if (report.failed(s.name).length) log(`worker output (last lines):\n${env.worker.tail(2000)}\nweb output (last lines):\n${env.web.tail(2000)}`);
  }
} catch (e) {
  setupError = (e as Error).stack ?? String(e);
  log(`setup failed: ${setupError}`);
} finally {
  await env?.teardown();
}

const failed = report.failed();
const survived = chosen.filter((s) => !report.failed(s.name).length).map((s) => s.name);
const summary = {
  suite: 'faults',
  seconds: Math.round((Date.now() - started) / 1000),
  setup: env?.timings ?? null,
  setupError: setupError?.split('\n')[0] ?? null,
  faults: chosen.length,
  faultsSurvived: setupError ? 0 : survived.length,
  checks: { passed: report.checks.length - failed.length, failed: failed.length },
  submissions: report.submissions,
  outageRequests: env?.recorder.tally ?? null,
  hangThresholdMs: HANG_MS,
  requestsWhileWebDown: env?.recorder.webDownRequests ?? 0,
  outageViolations: env?.recorder.violations.slice(0, 10) ?? [],
  scenarioSeconds: report.scenarioSeconds,
  failures: failed.map((c) => `${c.scenario}: ${c.check} — ${c.detail.slice(0, 300)}`),
};
console.log(JSON.stringify(summary));
// `npm test` reads the summary from here to count the checks in its closing line.
if (process.env.FAULTS_SUMMARY) writeFileSync(process.env.FAULTS_SUMMARY, JSON.stringify(summary));
process.exit(failed.length || setupError ? 1 : 0);
