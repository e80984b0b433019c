// Whether a production build in `distDir` is older than the code it was built from (app/, lib/
// and the root files Next compiles in), so `npm start` and the fault suite rebuild only when needed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT_FILES = ['proxy.ts', 'instrumentation.ts', 'next.config.js'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'generated' || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function buildIsStale(distDir: string): boolean {
  const buildId = path.join(distDir, 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const roots = ROOT_FILES.filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs);
  return Math.max(newestSource('app'), newestSource('lib'), ...roots) > statSync(buildId).mtimeMs;
}
