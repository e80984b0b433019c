import { defineConfig } from 'vitest/config';
import { existsSync } from 'node:fs';
import path from 'node:path';

// The ML suite runs twice: on WebAssembly (project `default`, with everything else) and on native
// TensorFlow (project `tensorflow`: HONE_TEST_BACKEND=tensorflow, plus the *.native.test.ts files
// that compare the backends). The second needs the binding `npm run setup:tensorflow` builds; a
// machine without it runs the first only and says so, unless HONE_REQUIRE_NATIVE=1 (CI), where a
// missing binding must fail the run instead of hiding.
const ML_SUITE = [
  'lib/ml/model/gpt.test.ts',
  'lib/ml/sample.test.ts',
  'lib/ml/losses.test.ts',
  'lib/ml/heads.test.ts',
  'lib/ml/train/*.test.ts',
  'lib/ml/checkpoint/parity.test.ts',
  'lib/ml/**/*.native.test.ts',
];
const nativeBuilt = existsSync(path.join(import.meta.dirname, 'node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node'));
const withNative = nativeBuilt || process.env.HONE_REQUIRE_NATIVE === '1';
if (!withNative) console.warn('vitest: native TensorFlow is not built here (`npm run setup:tensorflow`); the ML suite runs on WebAssembly only');

const shared = {
  exclude: ['node_modules', '.next', 'e2e'],
  globalSetup: ['test/global-setup.ts'],
  setupFiles: ['test/setup-env.ts'],
  pool: 'forks' as const,
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          ...shared,
          name: 'default',
          include: ['lib/**/*.test.ts', 'worker/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts', 'prisma/**/*.test.ts'],
          exclude: [...shared.exclude, '**/*.native.test.ts'],
        },
      },
      ...(withNative
        ? [
            {
              extends: true as const,
              test: { ...shared, name: 'tensorflow', include: ML_SUITE, env: { HONE_TEST_BACKEND: 'tensorflow' } },
            },
          ]
        : []),
    ],
  },
});
