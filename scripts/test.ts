// `npm test`: lint (the layering rules), typecheck, vitest (every project of vitest.config.ts:
// unit without services, integration against real Postgres and Redis, tensorflow where the native
// binding is built), the fault suite (test/faults) and Playwright (Chromium against a production build), then one closing line
// `N passed, N failed` counting every test of every stage (lint and typecheck count one each).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

type Stage = { name: string; passed: number; failed: number; skipped: number };
const stages: Stage[] = [];
// Failed tests by name with the first line of their error, printed again above the summary so a
// CI log that keeps only its tail still says what broke.
const failures: string[] = [];
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`
const want = (name: string) => !only.length || only.includes(name);
mkdirSync('test-results', { recursive: true });

// The fault suite and Playwright both run `next start` on a production build: one folder serves both.
process.env.HONE_TEST_DIST_DIR ??= '.next-test';

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
    for (const file of r.testResults ?? []) {
      const where = String(file.name).replace(`${process.cwd()}/`, '');
      for (const t of file.assertionResults ?? []) {
        if (t.status === 'failed') failures.push(`vitest ${where} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
      }
      if (file.status === 'failed' && !(file.assertionResults ?? []).some((t: { status: string }) => t.status === 'failed')) {
        failures.push(`vitest ${where}: ${firstLine(file.message)}`);
      }
    }
  } else stages.push({ name: 'vitest', passed: 0, failed: 1, skipped: 0 });
}
if (want('faults')) {
  // The fault suite (test/faults/run.ts): its own Postgres, Redis, web server and worker, broken
  // on purpose; each check it makes counts as one test (~4 minutes).
  const out = 'test-results/faults.json';
  rmSync(out, { force: true });
  const code = run('node', ['--import', 'tsx', 'test/faults/run.ts'], { FAULTS_SUMMARY: out });
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8')) as { checks: { passed: number; failed: number }; setupError: string | null; failures: string[] };
    const failed = r.checks.failed + (r.setupError ? 1 : 0) + (code !== 0 && !r.checks.failed && !r.setupError ? 1 : 0);
    stages.push({ name: 'faults', passed: r.checks.passed, failed, skipped: 0 });
    for (const f of r.failures) failures.push(`faults ${firstLine(f)}`);
    if (r.setupError) failures.push(`faults setup: ${firstLine(r.setupError)}`);
  } else stages.push({ name: 'faults', passed: 0, failed: 1, skipped: 0 });
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
    collectPlaywrightFailures(JSON.parse(readFileSync(out, 'utf8')).suites ?? []);
  } else stages.push({ name: 'playwright', passed: 0, failed: 1, skipped: 0 });
}

if (failures.length) {
  console.log('\nFailed');
  for (const f of failures) console.log(`  ${f}`);
}
console.log('\nSummary');
for (const s of stages) console.log(`  ${s.name.padEnd(11)} ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`);
const passed = stages.reduce((a, s) => a + s.passed, 0);
const failed = stages.reduce((a, s) => a + s.failed, 0);
const skipped = stages.reduce((a, s) => a + s.skipped, 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);

function firstLine(text: unknown): string {
  return String(text ?? '').split('\n').find((l) => l.trim())?.trim().slice(0, 300) ?? '';
}

type PwSuite = { title: string; file?: string; suites?: PwSuite[]; specs?: { title: string; file: string; line: number; tests: { status: string; results: { error?: { message?: string } }[] }[] }[] };
function collectPlaywrightFailures(suites: PwSuite[]): void {
  for (const suite of suites) {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) {
        if (t.status === 'unexpected' || t.status === 'flaky') {
          const error = t.results.find((r) => r.error)?.error?.message;
          failures.push(`playwright ${spec.file}:${spec.line} › ${spec.title} (${t.status}): ${firstLine(error)}`);
        }
      }
    }
    collectPlaywrightFailures(suite.suites ?? []);
  }
}
