// Lint rules that keep the architecture's arrows one way (DESIGN.md §3):
//   app/    never imports lib/db, the Prisma client, lib/ml, bullmq or @tensorflow/*;
//   lib/ml  never imports Next, Prisma, BullMQ, lib/env or anything of ours but lib/shared;
//   the database client is imported only by lib/data and lib/auth.
import tseslint from 'typescript-eslint';

const dbPatterns = ['**/lib/db', '**/lib/db.ts', '**/lib/generated/**', '@prisma/*', '@/lib/db', '@/lib/generated/**'];

export default tseslint.config(
  { ignores: ['node_modules/**', '.next*/**', 'lib/generated/**', 'test-results/**', 'playwright-report/**', 'var/**', 'next-env.d.ts'] },
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-debugger': 'error',
    },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: dbPatterns, message: 'app/ reaches the database only through lib/data use cases.' },
            { group: ['**/lib/ml/**', '@/lib/ml/**', '**/lib/ml', '@/lib/ml'], message: 'app/ never loads lib/ml; training runs in the worker.' },
            { group: ['bullmq', '@tensorflow/*'], message: 'app/ talks to workers through lib/queue producers only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/ml/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['next', 'next/*', 'react', 'react-dom'], message: 'lib/ml is pure TensorFlow.js.' },
            { group: [...dbPatterns, 'prisma'], message: 'lib/ml knows nothing of the database.' },
            { group: ['bullmq', 'ioredis'], message: 'lib/ml knows nothing of queues.' },
            { group: ['**/lib/env', '@/lib/env', '../env', '../../env'], message: 'lib/ml receives configuration as arguments.' },
            { group: ['**/lib/data/**', '**/lib/queue/**', '**/lib/auth/**', '@/lib/data/**', '@/lib/queue/**', '@/lib/auth/**'], message: 'lib/ml imports nothing of ours but lib/shared.' },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/**/*.{ts,tsx}', 'worker/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    ignores: ['lib/data/**', 'lib/auth/**', 'lib/db.ts', 'lib/ml/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/lib/generated/**', '@prisma/client', '@prisma/client/*'], message: 'use lib/data use cases (lib/db is for lib/data and lib/auth).' }] }],
    },
  },
);
