import { defineConfig } from 'vitest/config';
import { existsSync } from 'node:fs';
import path from 'node:path';

// Three projects (`npx vitest run --project NAME`; `npm test` runs them all):
//   unit         no services: lib/ml, lib/shared and every other test that touches neither
//                Postgres nor Redis. Its setup points DATABASE_URL and REDIS_URL at a closed port,
//                so a test that needs a service fails at once instead of writing to a real database.
//   integration  Postgres and Redis: test/global-setup.ts makes this run's database and Redis
//                prefix; a test file belongs here when it (or what it imports) queries the database
//                (lib/db, an export pool), enqueues or reads BullMQ jobs, or starts the worker.
//                test/integration/webgpu-round.test.ts skips without a WebGPU adapter, unless
//                HONE_REQUIRE_WEBGPU=1 (CI, which installs lavapipe): then it fails.
//   tensorflow   the ML suite again on native TensorFlow (HONE_TEST_BACKEND=tensorflow), plus the
//                *.native.test.ts files that compare the backends; no services. It needs the binding
//                `npm run setup:tensorflow` builds; a machine without it runs the ML suite on
//                WebAssembly only (in `unit`) and says so, unless HONE_REQUIRE_NATIVE=1 (CI), where a
//                missing binding must fail the run instead of hiding.
const INTEGRATION = [
  'test/integration/**/*.test.ts',
  'test/http/**/*.test.ts',
  'worker/**/*.test.ts',
  'lib/auth/**/*.test.ts',
  'lib/queue/health.test.ts',
  'lib/queue/redis-restart.test.ts',
  'scripts/services.test.ts',
  'lib/data/api-tokens/api-tokens.test.ts',
  'lib/data/conversations/conversation.test.ts',
  'lib/data/exports/bounded-memory.test.ts',
  'lib/data/exports/golden.test.ts',
  'lib/data/exports/run-export-job.test.ts',
  'lib/data/first-admin.test.ts',
  'lib/data/outage.test.ts',
  'lib/data/gold/set-gold.test.ts',
  'lib/data/gold/honeypots.test.ts',
  'lib/data/projects/projects.test.ts',
  'lib/data/prompts/import.test.ts',
  'lib/data/quality/project-quality.test.ts',
  'lib/data/snapshots/create-snapshot.test.ts',
  'lib/data/submissions/submit.test.ts',
  'lib/data/tasks/next-task.test.ts',
  'lib/data/users/last-admin.test.ts',
  'lib/data/users/users.test.ts',
];
const ML_SUITE = [
  'lib/ml/model/gpt.test.ts',
  'lib/ml/sample.test.ts',
  'lib/ml/losses.test.ts',
  'lib/ml/heads.test.ts',
  'lib/ml/train/*.test.ts',
  'lib/ml/checkpoint/parity.test.ts',
  'lib/ml/**/*.native.test.ts',
];
const ALL_TESTS = ['lib/**/*.test.ts', 'worker/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts', 'prisma/**/*.test.ts'];
const nativeBuilt = existsSync(path.join(import.meta.dirname, 'node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node'));
const withNative = nativeBuilt || process.env.HONE_REQUIRE_NATIVE === '1';
if (!withNative) console.warn('vitest: native TensorFlow is not built here (`npm run setup:tensorflow`); the ML suite runs on WebAssembly only');

const shared = {
  exclude: ['node_modules', '.next', 'e2e'],
  pool: 'forks' as const,
  testTimeout: 60_000,
  hookTimeout: 120_000,
};
const serviceFree = { ...shared, setupFiles: ['test/setup-unit.ts'] };

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { ...serviceFree, name: 'unit', include: ALL_TESTS, exclude: [...shared.exclude, ...INTEGRATION, '**/*.native.test.ts'] },
      },
      {
        extends: true,
        test: { ...shared, name: 'integration', include: INTEGRATION, globalSetup: ['test/global-setup.ts'], setupFiles: ['test/setup-env.ts'] },
      },
      ...(withNative
        ? [
            {
              extends: true as const,
              test: { ...serviceFree, name: 'tensorflow', include: ML_SUITE, env: { HONE_TEST_BACKEND: 'tensorflow' } },
            },
          ]
        : []),
    ],
  },
});
