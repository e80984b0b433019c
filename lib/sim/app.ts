// Starts a whole Hone (web app + worker, via scripts/start.ts) on its own port, database, Redis
// prefix and checkpoint root, for the demo and the benchmark; waits until it answers.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs/promises';
import pg from 'pg';

export type HoneApp = { baseUrl: string; admin: { email: string; password: string }; checkpointRoot: string; modelsDir: string; stop(): Promise<void>; child: ChildProcess };

export async function startHone(o: { name: string; port: number; postgresUrl?: string; redisUrl?: string; mode?: 'dev' | 'prod'; fresh?: boolean; log?: (line: string) => void; workers?: number }): Promise<HoneApp> {
  const base = o.postgresUrl ?? process.env.HONE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const db = `hone_${o.name}`;
  const checkpointRoot = path.resolve(`var/${o.name}/checkpoints`);
  const modelsDir = path.resolve(`var/${o.name}/models`);
  if (o.fresh !== false) {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await admin.end();
    await fs.rm(path.resolve(`var/${o.name}`), { recursive: true, force: true });
  }
  const url = new URL(base);
  url.pathname = `/${db}`;
  const adminCreds = { email: `admin@${o.name}.hone.test`, password: `${o.name}-admin-password-1` };
  const baseUrl = `http://localhost:${o.port}`;
  const env = {
    ...process.env,
    PORT: String(o.port),
    DATABASE_URL: url.toString(),
    REDIS_URL: o.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    HONE_REDIS_PREFIX: `hone_${o.name}`,
    NEXT_DIST_DIR: `.next-e2e-${o.name}`, // ignored by git like the e2e builds
    HONE_CHECKPOINT_ROOT: checkpointRoot,
    HONE_EXPORT_ROOT: path.resolve(`var/${o.name}/exports`),
    HONE_MODELS_DIR: modelsDir,
    HONE_ADMIN_EMAIL: adminCreds.email,
    HONE_ADMIN_PASSWORD: adminCreds.password,
    HONE_BASE_URL: baseUrl,
    HONE_LOG_LEVEL: 'warn',
    BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET ?? `${o.name}-secret-${o.name}-secret-0123456789abcdef`,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', o.mode ?? 'dev'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const onData = (c: Buffer) => {
    for (const line of String(c).split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 60) tail.shift();
      o.log?.(line);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exited: string | null = null;
  child.on('exit', (code, sig) => (exited = `exited (${sig ?? code})`));
  const extra: ChildProcess[] = [];
  for (let i = 1; i < (o.workers ?? 1); i++) {
    const w = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    w.stderr!.on('data', onData);
    extra.push(w);
  }
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (exited) throw new Error(`Hone ${exited} before it answered:\n${tail.join('\n')}`);
    if (Date.now() > deadline) throw new Error(`Hone did not answer on ${baseUrl} within 10 minutes:\n${tail.join('\n')}`);
    try {
      const r = await fetch(`${baseUrl}/api/health`);
      if (r.ok) break;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return {
    baseUrl,
    admin: adminCreds,
    checkpointRoot,
    modelsDir,
    child,
    async stop() {
      for (const p of [child, ...extra]) {
        if (p.exitCode !== null || p.signalCode) continue;
        const done = new Promise((r) => p.once('exit', r));
        p.kill('SIGTERM');
        const t = setTimeout(() => p.kill('SIGKILL'), 15_000);
        await done;
        clearTimeout(t);
      }
    },
  };
}
