// `npm run dev` / `npm start`: checks Postgres and Redis, migrates, seeds an empty database,
// then runs the web app and the worker together and prints the URL. Ctrl+C stops both.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkServices } from './services';
import { buildIsStale } from './build-staleness';

const mode = process.argv[2] === 'prod' ? 'prod' : 'dev';

// Keep the session secret stable across restarts (sessions survive) without asking for one.
function authSecret(): string {
  if (process.env.BETTER_AUTH_SECRET) return process.env.BETTER_AUTH_SECRET;
  const file = path.resolve('var/auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
process.env.BETTER_AUTH_SECRET = authSecret();

const { env, baseUrl } = await import('../lib/env');
const { ensureDatabase, migrate } = await import('../lib/data/migrate');

if (!(await checkServices())) process.exit(1);
const e = env();
if (await ensureDatabase(e.DATABASE_URL)) console.log(`[hone] created database ${new URL(e.DATABASE_URL).pathname.slice(1)}`);
const { applied } = await migrate(e.DATABASE_URL, { log: (l) => console.log(`[hone] ${l}`) });
console.log(`[hone] database migrated (${applied.length} new migration${applied.length === 1 ? '' : 's'})`);

const { seedIfEmpty } = await import('../lib/data/seed');
const seeded = await seedIfEmpty({ adminEmail: e.HONE_ADMIN_EMAIL, adminPassword: e.HONE_ADMIN_PASSWORD });
if (seeded.admin?.created) {
  console.log(`[hone] created the first admin: ${seeded.admin.email}`);
  if (seeded.admin.password) {
    console.log(`[hone]   password (shown once, change it after signing in): ${seeded.admin.password}`);
  }
}
const { closeDatabase } = await import('../lib/data/close-database');
await closeDatabase();

const distDir = process.env.NEXT_DIST_DIR || '.next';
if (mode === 'prod') {
  if (buildIsStale(distDir)) {
    console.log('[hone] building the web app (next build)…');
    const r = spawnSync(process.execPath, [path.resolve('node_modules/next/dist/bin/next'), 'build'], { stdio: 'inherit', env: process.env });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

const children: ChildProcess[] = [];
let stopping = false;
function run(name: string, cmd: string, args: string[]): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const prefix = (chunk: Buffer, out: NodeJS.WriteStream) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) out.write(`[${name}] ${line}\n`);
  };
  child.stdout!.on('data', (c) => prefix(c, process.stdout));
  child.stderr!.on('data', (c) => prefix(c, process.stderr));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[hone] ${name} exited (${signal ?? code}); stopping`);
      stop(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  const deadline = setTimeout(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    process.exit(code);
  }, 10_000);
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => {
    clearTimeout(deadline);
    process.exit(code);
  });
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const port = String(e.PORT);
// Run Next's own bin with this node (not through npx) so signals reach it directly.
const nextBin = path.resolve('node_modules/next/dist/bin/next');
run('web', process.execPath, [nextBin, mode === 'dev' ? 'dev' : 'start', '-p', port]);
run('worker', process.execPath, ['--import', 'tsx', 'worker/main.ts']);

// Say where to go once the web app answers.
const url = baseUrl();
for (let i = 0; i < 600 && !stopping; i++) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`);
    if (res.status < 500 || res.status === 503) {
      console.log(`\n[hone] Hone is running at ${url} (sign in at ${url}/sign-in)\n`);
      break;
    }
  } catch {
    /* not up yet */
  }
  await new Promise((r) => setTimeout(r, 500));
}
