// Everything the scenarios run against, started from nothing and always torn down: the suite's
// own Postgres cluster and Redis, a seeded database, the web app (a production build in
// .next-faults, rebuilt only when app/ or lib/ changed since: about 30 s, and `next start` then
// answers within ~1 s of a restart, where `next dev` would recompile every route after a kill),
// and one worker process. Teardown kills every process and removes the temp folders, on success,
// failure, Ctrl+C or an uncaught error alike.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIsStale } from '../../scripts/build-staleness';
import { Database } from './database';
import { Api, Recorder } from './http';
import { freePort } from './ports';
import { PostgresCluster } from './postgres-cluster';
import { AppProcess, waitForWeb, webServer, workerProcess } from './processes';
import { RedisServer } from './redis-server';
import type { SeedResult } from './seed';

// `npm test` hands the fault suite and Playwright one build folder (HONE_TEST_DIST_DIR), so the
// second stage finds a fresh build instead of spending ~50 s on its own.
const DIST_DIR = process.env.HONE_TEST_DIST_DIR || '.next-faults';
const log = (msg: string) => console.error(`[faults] ${msg}`);

export type Environment = {
  pg: PostgresCluster;
  redis: RedisServer;
  db: Database;
  api: Api;
  recorder: Recorder;
  seed: SeedResult;
  web: AppProcess;
  /** The current worker (scenarios replace it after a kill; the supervisor after a crash). */
  worker: AppProcess;
  /** Worker crashes seen by the supervisor since the start: the last output of each. */
  workerCrashes: string[];
  newWorker(name: string): AppProcess;
  /** Starts the web server again and waits until it answers; returns the milliseconds it took. */
  startWeb(): Promise<number>;
  timings: Record<string, number>;
  teardown(): Promise<void>;
};


function buildIfStale(env: NodeJS.ProcessEnv): number {
  if (!buildIsStale(DIST_DIR)) return 0;
  log(`building the web app into ${DIST_DIR} (next build)…`);
  const t = Date.now();
  const r = spawnSync(process.execPath, [path.resolve('node_modules/next/dist/bin/next'), 'build'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...env, NODE_ENV: 'production' } });
  // next build adds its type folders to tsconfig.json's include; the repository does not keep them.
  spawnSync('git', ['checkout', '--', 'tsconfig.json'], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`next build failed (${r.status})`);
  return Date.now() - t;
}

export async function startEnvironment(): Promise<Environment> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const timings: Record<string, number> = {};
  // One teardown, however many callers (the run's finally, signals, a crash) wait for it.
  let tearingDown: Promise<void> | null = null;
  const teardown = () =>
    (tearingDown ??= (async () => {
      for (const c of cleanups.reverse()) {
        try {
          await c();
        } catch (e) {
          log(`teardown: ${(e as Error).message}`);
        }
      }
    })());
  // `on`, not `once`: Ctrl+C reaches npm, tsx and this process alike, and a second SIGINT must not
  // end the process by default before teardown has stopped the servers.
  const onSignal = () => void teardown().finally(() => process.exit(130));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const onCrash = (e: unknown) => {
    log(`the suite itself failed: ${(e as Error)?.stack ?? e}`);
    void teardown().finally(() => process.exit(1));
  };
  process.once('uncaughtException', onCrash);
  process.once('unhandledRejection', onCrash);

  try {
    let t = Date.now();
    const pg = await PostgresCluster.create();
    cleanups.push(() => pg.destroy());
    const redis = await RedisServer.create();
    cleanups.push(() => redis.destroy());
    timings.servicesMs = Date.now() - t;
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'hone-faults-files-'));
    cleanups.push(() => rmSync(scratch, { recursive: true, force: true }));

    const port = await freePort();
    const databaseUrl = `postgresql://postgres@127.0.0.1:${pg.port}/hone_faults`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      HONE_REDIS_PREFIX: 'faults',
      PORT: String(port),
      HONE_BASE_URL: `http://127.0.0.1:${port}`,
      BETTER_AUTH_SECRET: 'faults-secret-faults-secret-faults-secret-0123',
      HONE_CHECKPOINT_ROOT: path.join(scratch, 'checkpoints'),
      HONE_EXPORT_ROOT: path.join(scratch, 'exports'),
      HONE_MODELS_DIR: path.join(scratch, 'models'),
      NEXT_DIST_DIR: DIST_DIR,
      HONE_LOG_LEVEL: 'warn',
    };
    Reflect.deleteProperty(env, 'NODE_ENV'); // the web server sets its own; the worker and seed run as in development

    t = Date.now();
    const seeded = spawnSync(process.execPath, ['--import', 'tsx', 'test/faults/seed.ts'], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (seeded.status !== 0) throw new Error(`seeding failed (${seeded.status}):\n${(seeded.stderr || seeded.stdout).slice(-3000)}`);
    const seed = JSON.parse(seeded.stdout.trim().split('\n').at(-1)!) as SeedResult;
    timings.seedMs = Date.now() - t;

    timings.buildMs = buildIfStale(env);
    const web = webServer(port, env);
    cleanups.push(() => web.kill9());
    const startWeb = async () => {
      web.start();
      return waitForWeb(web, port);
    };
    timings.webStartMs = await startWeb();

    const workers: AppProcess[] = [];
    cleanups.push(async () => {
      for (const w of workers) await w.kill9();
    });
    const newWorker = (name: string) => {
      const w = workerProcess(name, env);
      workers.push(w);
      w.start();
      return w;
    };

    const recorder = new Recorder();
    // A supervisor, as systemd or Kubernetes would be: a worker that crashes is noted and replaced
    // within a second, so that what follows measures healing rather than a missing worker.
    const supervisor = setInterval(() => {
      if (!envObj.worker.crashed) return;
      envObj.workerCrashes.push(envObj.worker.tail(1500));
      log(`the worker crashed; starting another:\n${envObj.worker.tail(1500)}`);
      envObj.worker = newWorker(`worker-${workers.length + 1}`);
    }, 1000);
    cleanups.push(() => clearInterval(supervisor));
    const envObj: Environment = {
      pg,
      redis,
      db: new Database(databaseUrl),
      api: new Api(`http://127.0.0.1:${port}`, recorder),
      recorder,
      seed,
      web,
      worker: newWorker('worker-1'),
      workerCrashes: [],
      newWorker,
      startWeb,
      timings,
      teardown,
    };
    return envObj;
  } catch (e) {
    await teardown();
    throw e;
  }
}
