// Labeling throughput benchmark: N simulated labelers loop next-task → submit-ranking through
// the real HTTP API for a while, then the database is checked for duplicate assignments and
// lost submissions. The last line printed is one JSON object with the figures.
//
//   npm run bench:labeling                      # starts a production app (next start) on its own DB,
//                                               # building into .next-bench first if there is no build
//   HONE_BENCH_URL=http://localhost:3000 \
//   HONE_BENCH_ADMIN_EMAIL=… HONE_BENCH_ADMIN_PASSWORD=… DATABASE_URL=… npm run bench:labeling
//
// Settings (env): BENCH_LABELERS (200), BENCH_SECONDS (60), BENCH_THINK_MS (1000: time a
// simulated labeler spends on a task between getting it and submitting it; 0 = back to back,
// which measures the saturation throughput instead), BENCH_SETS (enough for the run),
// BENCH_DOUBLE_SUBMIT (0.05: share of submits sent twice with the same Idempotency-Key),
// BENCH_WARMUP_S (max(5 s, one think time): not recorded), BENCH_PORT (3132, when the bench
// starts the app). Duplicates and losses are checked over the whole run, warm-up included.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import pg from 'pg';

const num = (name: string, dflt: number) => (process.env[name] !== undefined && process.env[name] !== '' ? Number(process.env[name]) : dflt);
const LABELERS = num('BENCH_LABELERS', 200);
const SECONDS = num('BENCH_SECONDS', 60);
const THINK_MS = num('BENCH_THINK_MS', 1000);
const DOUBLE = num('BENCH_DOUBLE_SUBMIT', 0.05);
// Labelers arrive spread over the first think interval (as people do), and nothing is recorded
// during a warm-up (JIT, connection pools, the arrival ramp); SECONDS are measured after it.
const WARMUP_S = num('BENCH_WARMUP_S', Math.max(5, THINK_MS / 1000));
const PORT = num('BENCH_PORT', 3132);
const K = 4;
const OVERLAP = 3;
const log = (msg: string) => console.error(`[bench] ${msg}`);

// ───────────── the app under test ─────────────
let child: ChildProcess | null = null;
let baseUrl = process.env.HONE_BENCH_URL?.replace(/\/$/, '') ?? '';
let adminEmail = process.env.HONE_BENCH_ADMIN_EMAIL ?? 'bench-admin@hone.test';
let adminPassword = process.env.HONE_BENCH_ADMIN_PASSWORD ?? 'bench-admin-password-1';
let databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/hone';

async function startApp(): Promise<void> {
  const base = new URL(process.env.HONE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  const dbName = `hone_bench_${PORT}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
  base.pathname = `/${dbName}`;
  databaseUrl = base.toString();
  adminEmail = 'bench-admin@hone.test';
  adminPassword = 'bench-admin-password-1';
  baseUrl = `http://127.0.0.1:${PORT}`;
  const distDir = process.env.NEXT_DIST_DIR ?? '.next-bench';
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(PORT),
    DATABASE_URL: databaseUrl,
    HONE_REDIS_PREFIX: `hone_bench_${PORT}`,
    NEXT_DIST_DIR: distDir,
    HONE_ADMIN_EMAIL: adminEmail,
    HONE_ADMIN_PASSWORD: adminPassword,
    HONE_BASE_URL: baseUrl,
    BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET ?? 'bench-secret-bench-secret-bench-secret-0123',
    HONE_LOG_LEVEL: 'warn',
    // The bench stands in for a proxy in front of 200 labelers' machines: its X-Forwarded-For
    // (one address per labeler, see signIn) is believed only from a trusted proxy.
    HONE_TRUSTED_PROXIES: '127.0.0.1',
  } as NodeJS.ProcessEnv;
  Object.assign(process.env, { DATABASE_URL: databaseUrl, HONE_ADMIN_EMAIL: adminEmail, HONE_ADMIN_PASSWORD: adminPassword, BETTER_AUTH_SECRET: env.BETTER_AUTH_SECRET });
  // the same steps as scripts/start.ts: database, migrations, first admin
  const { ensureDatabase, migrate } = await import('../lib/data/migrate');
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const { seedIfEmpty } = await import('../lib/data/seed');
  await seedIfEmpty({ adminEmail, adminPassword });
  const { closeDatabase } = await import('../lib/data/close-database');
  await closeDatabase();
  // a production build: made once into its own folder (BENCH_BUILD=1 forces a fresh one)
  if (process.env.BENCH_BUILD === '1' || !existsSync(`${distDir}/BUILD_ID`)) {
    log(`building the web app into ${distDir} (next build)…`);
    const r = spawnSync('npx', ['next', 'build'], { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (r.status !== 0) throw new Error('next build failed');
  }
  log(`starting next start on ${baseUrl} (database ${dbName}, build ${distDir})`);
  child = spawn('npx', ['next', 'start', '-p', String(PORT)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env });
  child.stdout!.on('data', (c: Buffer) => process.env.BENCH_VERBOSE && process.stderr.write(c));
  child.stderr!.on('data', (c: Buffer) => process.env.BENCH_VERBOSE && process.stderr.write(c));
  child.on('exit', (code) => {
    if (child) log(`app exited (${code})`);
  });
  const deadline = Date.now() + 5 * 60_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${baseUrl}/api/health`);
      if (r.status === 200 || r.status === 503) return;
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null) throw new Error('the app exited before answering');
    await sleep(500);
  }
  throw new Error('the app did not start within 5 minutes');
}

function stopApp() {
  if (child?.pid) {
    const pid = child.pid;
    child = null;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
}

// ───────────── HTTP ─────────────
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function json<T>(path: string, init: { method?: string; body?: unknown; cookie?: string; headers?: Record<string, string>; raw?: string; contentType?: string } = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers: {
      origin: baseUrl, // as a browser on the app's own pages would send (better-auth checks it)
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.raw !== undefined ? { 'content-type': init.contentType ?? 'application/jsonl' } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...init.headers,
    },
    body: init.raw ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  });
  const text = await res.text();
  let data: unknown = null;
  try {
    data = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, data: data as T, headers: res.headers, text };
}

// Each simulated labeler signs in from its own address (X-Forwarded-For), as 200 people on 200
// machines would; the sign-in flood guard counts per address. A 429 is waited out, not fought.
async function signIn(email: string, password: string, n = 0): Promise<string> {
  let r = await json('/api/auth/sign-in/email', { body: { email, password }, headers: { 'x-forwarded-for': `10.77.${(n >> 8) & 255}.${n & 255}` } });
  for (let tries = 0; r.status === 429 && tries < 20; tries++) {
    await sleep(5000);
    r = await json('/api/auth/sign-in/email', { body: { email, password }, headers: { 'x-forwarded-for': `10.77.${(n >> 8) & 255}.${n & 255}` } });
  }
  if (r.status !== 200) throw new Error(`sign-in ${email}: ${r.status} ${r.text.slice(0, 200)}`);
  const cookies = r.headers.getSetCookie().map((c) => c.split(';')[0]);
  return cookies.join('; ');
}

async function pool<T>(items: T[], width: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

// ───────────── seeding ─────────────
async function seed(): Promise<{ projectId: string; cookies: string[]; userIds: string[] }> {
  const adminCookie = await signIn(adminEmail, adminPassword);
  const p = await json<{ project: { id: string } }>('/api/projects', {
    cookie: adminCookie,
    body: { name: `Bench ${new Date().toISOString()}`, guidelines: 'Rank by helpfulness.', k: K, overlap: OVERLAP, mixDemonstration: 0, mixDialogue: 0, mixRanking: 1, leaseMinutes: 30 },
  });
  if (p.status !== 201) throw new Error(`create project: ${p.status} ${p.text}`);
  const projectId = p.data.project.id;
  const perSecond = THINK_MS > 0 ? LABELERS / (THINK_MS / 1000 + 0.05) : 400;
  const sets = num('BENCH_SETS', Math.ceil((perSecond * (SECONDS + WARMUP_S) * 1.5) / OVERLAP) + LABELERS);
  log(`seeding ${sets} completion sets (K=${K}, overlap=${OVERLAP})`);
  const tag = randomUUID().slice(0, 8);
  for (let start = 0; start < sets; start += 2000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(sets, start + 2000); i++) {
      lines.push(JSON.stringify({ prompt: `Bench prompt ${tag} #${i}: explain item ${i}.`, completions: Array.from({ length: K }, (_, j) => `Completion ${j} for item ${i}.`), model: 'bench-model' }));
    }
    const r = await json<{ result: { sets: number } }>(`/api/projects/${projectId}/completion-sets/import`, { cookie: adminCookie, raw: lines.join('\n') });
    if (r.status !== 200) throw new Error(`import: ${r.status} ${r.text.slice(0, 300)}`);
  }
  log(`creating and signing in ${LABELERS} labelers`);
  const cookies: string[] = new Array(LABELERS);
  const userIds: string[] = new Array(LABELERS);
  await pool([...Array(LABELERS).keys()], 8, async (i) => {
    const email = `bench-${tag}-${i}@hone.test`;
    const u = await json<{ user: { id: string } }>('/api/admin/users', { cookie: adminCookie, body: { email, name: `Bench labeler ${i}`, password: 'bench-labeler-password', role: 'LABELER' } });
    if (u.status !== 201) throw new Error(`create labeler: ${u.status} ${u.text.slice(0, 200)}`);
    userIds[i] = u.data.user.id;
    cookies[i] = await signIn(email, 'bench-labeler-password', i + 1);
  });
  return { projectId, cookies, userIds };
}

// ───────────── the run ─────────────
type Acked = { taskId: string; userId: string; submissionId: string };

function randomTiers(): number[][] {
  const order = [...Array(K).keys()].sort(() => Math.random() - 0.5);
  const tiers: number[][] = [];
  for (const i of order) {
    if (tiers.length && Math.random() < 0.2) tiers[tiers.length - 1].push(i);
    else tiers.push([i]);
  }
  return tiers;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function summary(lat: number[], seconds: number, errors: number) {
  const s = [...lat].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { count: s.length, rps: r(s.length / seconds), p50Ms: r(percentile(s, 50)), p90Ms: r(percentile(s, 90)), p99Ms: r(percentile(s, 99)), maxMs: r(s[s.length - 1] ?? 0), errors };
}

async function run(projectId: string, cookies: string[], userIds: string[]) {
  const nextLat: number[] = [];
  const submitLat: number[] = [];
  let nextErrors = 0;
  let submitErrors = 0;
  let empty = 0;
  let doubleSent = 0;
  let doubleOk = 0;
  const acked: Acked[] = [];
  const errorSamples: string[] = [];
  const startAt = Date.now();
  const recordFrom = startAt + WARMUP_S * 1000;
  const stopAt = recordFrom + SECONDS * 1000;
  const rec = (list: number[], ms: number) => {
    if (Date.now() >= recordFrom) list.push(ms);
  };

  await Promise.all(
    cookies.map(async (cookie, li) => {
      await sleep(Math.random() * Math.max(THINK_MS, 1000)); // arrivals spread over one think interval
      while (Date.now() < stopAt) {
        let t = performance.now();
        const n = await json<{ task: { taskId: string } | null }>('/api/tasks/next', { cookie, body: { projectId, kind: 'RANKING' } }).catch((e: Error) => ({ status: 0, data: null, text: e.message }) as never);
        rec(nextLat, performance.now() - t);
        if (n.status !== 200) {
          nextErrors++;
          if (errorSamples.length < 5) errorSamples.push(`next ${n.status} ${String(n.text).slice(0, 160)}`);
          await sleep(200);
          continue;
        }
        if (!n.data.task) {
          empty++;
          await sleep(500);
          continue;
        }
        const taskId = n.data.task.taskId;
        if (THINK_MS > 0) await sleep(THINK_MS * (0.5 + Math.random()));
        const key = `bench-${randomUUID()}`;
        const body = { kind: 'RANKING', tiers: randomTiers(), allBad: false, flags: {}, likert: 1 + Math.floor(Math.random() * 7) };
        t = performance.now();
        const s = await json<{ submission: { submissionId: string } }>(`/api/tasks/${taskId}/submit`, { cookie, body, headers: { 'idempotency-key': key } }).catch((e: Error) => ({ status: 0, data: null, text: e.message }) as never);
        rec(submitLat, performance.now() - t);
        if (s.status !== 201) {
          submitErrors++;
          if (errorSamples.length < 5) errorSamples.push(`submit ${s.status} ${String(s.text).slice(0, 160)}`);
          continue;
        }
        acked.push({ taskId, userId: userIds[li], submissionId: s.data.submission.submissionId });
        if (Math.random() < DOUBLE) {
          doubleSent++;
          t = performance.now();
          const again = await json<{ submission: { submissionId: string; duplicate: boolean } }>(`/api/tasks/${taskId}/submit`, { cookie, body, headers: { 'idempotency-key': key } });
          rec(submitLat, performance.now() - t);
          if (again.status === 200 && again.data.submission.duplicate && again.data.submission.submissionId === s.data.submission.submissionId) doubleOk++;
          else submitErrors++;
        }
      }
    }),
  );
  const seconds = (Date.now() - recordFrom) / 1000;
  return { nextLat, submitLat, nextErrors, submitErrors, empty, doubleSent, doubleOk, acked, seconds, errorSamples };
}

async function verify(projectId: string, acked: Acked[]) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const dupPairs = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT a."taskId", a."userId" FROM "Assignment" a JOIN "Task" t ON t.id = a."taskId" WHERE t."projectId" = $1 GROUP BY 1, 2 HAVING count(*) > 1) d`,
      [projectId],
    );
    // a slot given twice: more live-or-submitted assignments (or judgements) on a task than it wants
    const overfull = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Task" t WHERE t."projectId" = $1 AND (
         (SELECT count(*) FROM "Assignment" a WHERE a."taskId" = t.id AND a.status IN ('ACTIVE', 'SUBMITTED')) > t.wanted
         OR (SELECT count(*) FROM "Judgement" j WHERE j."taskId" = t.id) > t.wanted)`,
      [projectId],
    );
    const counters = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Task" t WHERE t."projectId" = $1 AND t."doneCount" <> (SELECT count(*) FROM "Judgement" j WHERE j."taskId" = t.id)`,
      [projectId],
    );
    const ids = acked.map((a) => a.submissionId);
    const found = await db.query<{ id: string; taskId: string; userId: string }>(`SELECT id, "taskId", "userId" FROM "Judgement" WHERE id = ANY($1::text[])`, [ids]);
    const byId = new Map(found.rows.map((r) => [r.id, r]));
    const lost = acked.filter((a) => {
      const r = byId.get(a.submissionId);
      return !r || r.taskId !== a.taskId || r.userId !== a.userId;
    }).length;
    const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Judgement" WHERE "projectId" = $1`, [projectId]);
    return { duplicateAssignments: dupPairs.rows[0].n + overfull.rows[0].n, counterMismatches: counters.rows[0].n, lostSubmissions: lost, judgementsInDb: total.rows[0].n };
  } finally {
    await db.end();
  }
}

async function main() {
  if (!baseUrl) await startApp();
  else log(`using the running app at ${baseUrl}`);
  const { projectId, cookies, userIds } = await seed();
  log(`running ${LABELERS} labelers for ${SECONDS} s (think ${THINK_MS} ms per task)`);
  const r = await run(projectId, cookies, userIds);
  const v = await verify(projectId, r.acked);
  if (r.errorSamples.length) log(`error samples:\n  ${r.errorSamples.join('\n  ')}`);
  const result = {
    bench: 'labeling',
    url: baseUrl,
    labelers: LABELERS,
    seconds: Math.round(r.seconds * 10) / 10,
    thinkMs: THINK_MS,
    warmupS: WARMUP_S,
    nextTask: summary(r.nextLat, r.seconds, r.nextErrors),
    submitRanking: summary(r.submitLat, r.seconds, r.submitErrors),
    requestsPerSecond: Math.round(((r.nextLat.length + r.submitLat.length) / r.seconds) * 10) / 10,
    emptyNextTask: r.empty,
    submissionsAcked: r.acked.length,
    doubleSubmits: { sent: r.doubleSent, idempotent: r.doubleOk },
    ...v,
  };
  console.log(JSON.stringify(result));
}

main()
  .catch((e) => {
    log(`failed: ${(e as Error).stack ?? e}`);
    process.exitCode = 1;
  })
  .finally(() => {
    stopApp();
    setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
  });
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    stopApp();
    process.exit(130);
  });
