// The app under test for Playwright: a fresh database and Redis prefix named after the port,
// then the same start path as `npm run dev` / `npm start` (scripts/start.ts).
import { spawn } from 'node:child_process';
import pg from 'pg';

const port = process.env.E2E_PORT ?? '3100';
const db = `hone_e2e_${port}`;
const base = process.env.HONE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
await admin.end();
const url = new URL(base);
url.pathname = `/${db}`;

const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', process.env.E2E_PROD === '1' ? 'prod' : 'dev'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    DATABASE_URL: url.toString(),
    HONE_REDIS_PREFIX: `hone_e2e_${port}`,
    // one build per port, or the one `npm test` shares with the fault suite
    NEXT_DIST_DIR: process.env.HONE_TEST_DIST_DIR || `.next-e2e-${port}`,
    HONE_CHECKPOINT_ROOT: `var/e2e-${port}/checkpoints`,
    HONE_EXPORT_ROOT: `var/e2e-${port}/exports`,
    HONE_MODELS_DIR: `var/e2e-${port}/models`,
    BETTER_AUTH_SECRET: 'e2e-secret-e2e-secret-e2e-secret-0123456789',
    HONE_BASE_URL: `http://localhost:${port}`,
    // every spec signs in from 127.0.0.1; the flood guard's 60 a minute would refuse a fast run
    HONE_SIGN_IN_PER_MINUTE: '1000',
  },
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
