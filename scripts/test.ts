// `npm test`: lint (the layering rules), typecheck, vitest (unit + integration against real
// Postgres and Redis) and Playwright (Chromium against a production build), then one closing
// line `N passed, N failed` counting every test of every stage (lint and typecheck count one each).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

type Stage = { name: string; passed: number; failed: number; skipped: number };
const stages: Stage[] = [];
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`
const want = (name: string) => !only.length || only.includes(name);
mkdirSync('test-results', { recursive: true });

function run(cmd: string, args: string[], env: Record<string, string> = {}): number {
  console.log(`\n▶ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

if (want('lint')) {
  const code = run('npx', ['eslint', '.']);
  stages.push({ name: 'lint', passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 });
}
if (want('typecheck')) {
  const code = run('npx', ['tsc', '--noEmit']);
  stages.push({ name: 'typecheck', passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 });
}
if (want('unit')) {
  const out = 'test-results/vitest.json';
  const code = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    const failed = r.numFailedTests + (code !== 0 && r.numFailedTests === 0 ? 1 : 0);
    stages.push({ name: 'vitest', passed: r.numPassedTests, failed, skipped: r.numPendingTests + r.numTodoTests });
  } else stages.push({ name: 'vitest', passed: 0, failed: 1, skipped: 0 });
}
if (want('e2e')) {
  const out = 'test-results/playwright.json';
  const code = run('npx', ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: out,
    E2E_PROD: process.env.E2E_PROD ?? '1',
  });
  if (existsSync(out)) {
    const s = JSON.parse(readFileSync(out, 'utf8')).stats;
    const failed = s.unexpected + s.flaky + (code !== 0 && s.unexpected === 0 ? 1 : 0);
    stages.push({ name: 'playwright', passed: s.expected, failed, skipped: s.skipped });
  } else stages.push({ name: 'playwright', passed: 0, failed: 1, skipped: 0 });
}

console.log('\nSummary');
for (const s of stages) console.log(`  ${s.name.padEnd(11)} ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`);
const passed = stages.reduce((a, s) => a + s.passed, 0);
const failed = stages.reduce((a, s) => a + s.failed, 0);
const skipped = stages.reduce((a, s) => a + s.skipped, 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
