// Lint rules that keep the architecture's arrows one way (docs/design.md, "Layers and arrows"):
//   app/         never imports the database, lib/ml, bullmq, TensorFlow, worker/, scripts/ or bench/;
//   lib/ml       imports nothing of ours but lib/shared, and no Next, Prisma, BullMQ or lib/env;
//   lib/shared   imports zod only (pages and lib/ml import it);
//   lib/db       (and the Prisma client) is imported only by lib/data and lib/auth: worker/,
//                scripts/ and bench/ go through lib/data use cases (their tests may check rows);
//   lib/         never imports app/, worker/, scripts/ or bench/.
// One local rule, `hone/layers`, checks static imports, re-exports and dynamic `import('…')` alike:
// it resolves relative and `@/` paths to a path in the repository first, so `../../lib/db`,
// `@/lib/db` and `await import('../lib/db')` are the same import to it.
import path from 'node:path';
import tseslint from 'typescript-eslint';

// A target is `/lib/db` for a file of this repository (no extension, no /index), or a package name.
const DB = { test: /^(\/lib\/db$|\/lib\/generated\/|@prisma\/|prisma$)/ };
const ML = /^\/lib\/ml(\/|$)/;
const OUTSIDE_LIB = /^\/(app|worker|scripts|bench)(\/|$)/;

const LAYERS = [
  {
    name: 'app',
    // proxy.ts is Next's request proxy: part of the web app.
    files: /^(app\/|proxy\.ts$)/,
    rules: [
      { ...DB, message: 'app/ reaches the database only through lib/data use cases.' },
      { test: ML, message: 'app/ never loads lib/ml; training runs in the worker.' },
      { test: /^(bullmq|ioredis)$|^@tensorflow\//, message: 'app/ talks to workers through lib/queue producers only.' },
      { test: /^\/(worker|scripts|bench)(\/|$)/, message: 'app/ imports lib/ only (arrows point one way).' },
    ],
  },
  {
    name: 'lib/ml',
    files: /^lib\/ml\//,
    rules: [
      { test: /^(next|react|react-dom)(\/|$)/, message: 'lib/ml is pure TensorFlow.js.' },
      { ...DB, message: 'lib/ml knows nothing of the database.' },
      { test: /^(bullmq|ioredis)$/, message: 'lib/ml knows nothing of queues.' },
      { test: /^\/lib\/env$/, message: 'lib/ml receives configuration as arguments.' },
      { test: /^\/(?!lib\/ml\/|lib\/shared\/)/, message: 'lib/ml imports nothing of ours but lib/shared.' },
    ],
    // gradients.ts loads tfjs-core's gradient files by computed URL; nothing of ours can hide there.
    computedImports: true,
  },
  {
    name: 'lib/shared',
    files: /^lib\/shared\//,
    rules: [{ test: /^(?!zod$|zod\/|\/lib\/shared\/)/, message: 'lib/shared is zod-only: pages and lib/ml import it.', exceptTests: true }],
  },
  {
    name: 'lib/data and lib/auth',
    files: /^lib\/(data|auth)\/|^lib\/db\.ts$/,
    rules: [{ test: OUTSIDE_LIB, message: 'lib/ never imports app/, worker/, scripts/ or bench/.' }],
  },
  {
    name: 'lib',
    files: /^lib\//,
    rules: [
      { ...DB, message: 'use lib/data use cases (lib/db is for lib/data and lib/auth).', exceptTests: true },
      { test: OUTSIDE_LIB, message: 'lib/ never imports app/, worker/, scripts/ or bench/.' },
    ],
  },
  {
    name: 'worker, scripts, bench',
    files: /^(worker|scripts|bench)\//,
    rules: [
      { ...DB, message: 'use lib/data use cases (lib/db is for lib/data and lib/auth).', exceptTests: true },
      { test: /^\/app(\/|$)/, message: 'worker/, scripts/ and bench/ never import app/ (arrows point one way).' },
    ],
  },
];

/** `../../lib/db.ts` seen from `lib/ml/x.ts` → `/lib/db`; `@/lib/db` → `/lib/db`; `bullmq` → `bullmq`. */
function targetOf(source, fileFromRoot) {
  let p;
  if (source.startsWith('@/')) p = source.slice(2);
  else if (source.startsWith('.')) p = path.posix.join(path.posix.dirname(fileFromRoot), source);
  else return source;
  return `/${p.replace(/\.(tsx?|m?js)$/, '').replace(/\/index$/, '')}`;
}

const layersRule = {
  meta: { type: 'problem', schema: [], docs: { description: 'imports follow the arrows between layers' } },
  create(context) {
    const fileFromRoot = path.relative(context.cwd, context.filename).split(path.sep).join('/');
    const layer = LAYERS.find((l) => l.files.test(fileFromRoot));
    if (!layer) return {};
    const isTest = /\.test\.tsx?$/.test(fileFromRoot);
    function check(node, source) {
      const target = targetOf(source, fileFromRoot);
      const broken = layer.rules.find((r) => r.test.test(target) && !(isTest && r.exceptTests));
      if (broken) context.report({ node, message: `'${source}': ${broken.message}` });
    }
    const fromSource = (node) => {
      if (node.source && typeof node.source.value === 'string') check(node.source, node.source.value);
    };
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression(node) {
        const s = node.source;
        if (s.type === 'Literal' && typeof s.value === 'string') check(s, s.value);
        else if (s.type === 'TemplateLiteral' && s.expressions.length === 0) check(s, s.quasis[0].value.cooked);
        else if (!layer.computedImports) context.report({ node: s, message: `import() with a computed path escapes the ${layer.name} layer rules; import a literal path.` });
      },
    };
  },
};

// `hone/no-sync-read`: no synchronous tensor read (dataSync, arraySync, bufferSync) where training,
// sampling, evaluation or serving runs (lib/ml, worker/, the device benchmark). On WebGPU in Node a
// GPU tensor can only be read with `await t.data()` (docs/gpu.md); a sync read there fails the job.
// Kernels that only ever run on a CPU backend (the wasm/native fast paths) say so with an
// `eslint-disable-next-line hone/no-sync-read -- why` comment. Tests are exempt.
const SYNC_READ_FILES = /^(lib\/ml|worker|scripts\/device)\//;
const SYNC_READS = new Set(['dataSync', 'arraySync', 'bufferSync']);
const noSyncReadRule = {
  meta: { type: 'problem', schema: [], docs: { description: 'no synchronous tensor reads on the training and sampling paths' } },
  create(context) {
    const fileFromRoot = path.relative(context.cwd, context.filename).split(path.sep).join('/');
    if (!SYNC_READ_FILES.test(fileFromRoot) || /\.test\.tsx?$|\/testkit\.ts$/.test(fileFromRoot)) return {};
    return {
      CallExpression(node) {
        const c = node.callee;
        if (c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier' && SYNC_READS.has(c.property.name)) {
          context.report({ node: c.property, message: `${c.property.name}() cannot read a GPU tensor on WebGPU in Node; use \`await t.data()\` (lib/ml/read.ts batches a step's reads).` });
        }
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.next*/**', 'lib/generated/**', 'test-results/**', 'playwright-report/**', 'var/**', 'next-env.d.ts'] },
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
    plugins: { '@typescript-eslint': tseslint.plugin, hone: { rules: { layers: layersRule, 'no-sync-read': noSyncReadRule } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-debugger': 'error',
      'hone/layers': 'error',
      'hone/no-sync-read': 'error',
    },
  },
);
