// Loading native TensorFlow (@tensorflow/tfjs-node) so that a bad binding can never take the
// process down.
//
// The package is optional, and offline it exists only when `npm run setup:tensorflow` (also run
// after `npm install`) built its binding (scripts/setup-tensorflow.mjs). A binding built against
// another libtensorflow, or missing a symbol, can abort the process when it is loaded or first
// used, which no try/catch survives. So before the first in-process load of a given binding and
// libtensorflow, lib/ml/native-probe.cjs loads and exercises them in a child process; its yes is
// remembered beside the binding (hone-probe.json) and holds until either file changes. Every way
// it can fail ends in a one-line reason and the next backend.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const PROBE = path.join(import.meta.dirname, 'native-probe.cjs');

export const SETUP_HINT = '`npm run setup:tensorflow` builds it offline';
export const REBUILD_HINT = 'run `npm run setup:tensorflow` to rebuild it';

export type NativeLoad = { ok: true; module: unknown } | { ok: false; why: string };

function installedPackageDir(): string | null {
  try {
    return path.dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
  } catch {
    return null;
  }
}

/** True when hone-probe.json says these exact files passed the probe. */
function probedBefore(pkgDir: string): boolean {
  try {
    // Required here, not at import: bundles of lib/ml without the package never need the file.
    const { nativeIdentity } = require(PROBE) as { nativeIdentity(dir: string): { binding: string; libtensorflow: string } };
    const stamp = JSON.parse(fs.readFileSync(path.join(pkgDir, 'lib', 'napi-v8', 'hone-probe.json'), 'utf8'));
    const now = nativeIdentity(pkgDir);
    return stamp.ok === true && stamp.binding === now.binding && stamp.libtensorflow === now.libtensorflow;
  } catch {
    return false;
  }
}

/** Runs the probe in a child process; null when it passed, else why not (one line). */
function probeInChild(pkgDir: string): string | null {
  const r = spawnSync(process.execPath, [PROBE, pkgDir], { encoding: 'utf8', timeout: 120_000 });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
  if (line) {
    try {
      const answer = JSON.parse(line) as { ok: boolean; error?: string };
      return answer.ok ? null : (answer.error ?? 'the check failed');
    } catch {
      // fall through
    }
  }
  if (r.error) return `the check could not run (${r.error.message})`;
  const last = `${r.stderr ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean).pop();
  return `loading it crashed the check process (${r.signal ?? `exit ${r.status}`}${last ? `: ${last}` : ''})`;
}

/**
 * TensorFlow's environment defaults, set before libtensorflow loads (it reads them once):
 * INFO logs off (each worker would print TensorFlow's start-up banner). An operator's own
 * settings win. Thread pools keep TensorFlow's defaults (one thread per core for both): measured
 * on the SFT step, 1 intra-op thread is slower, 1 inter-op thread no different.
 */
function setTensorflowEnv(): void {
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
}

/**
 * Loads @tensorflow/tfjs-node when it is installed, built and passes the probe. `packageDir`
 * (tests) loads the package from that folder instead of node_modules.
 */
export function loadNativeTensorflow(opts: { packageDir?: string } = {}): NativeLoad {
  const pkgDir = opts.packageDir ?? installedPackageDir();
  if (!pkgDir || !fs.existsSync(path.join(pkgDir, 'package.json'))) return { ok: false, why: `@tensorflow/tfjs-node not installed (${SETUP_HINT})` };
  if (!fs.existsSync(path.join(pkgDir, 'lib', 'napi-v8', 'tfjs_binding.node'))) {
    return { ok: false, why: `@tensorflow/tfjs-node has no native binding (its own install needs internet; ${SETUP_HINT})` };
  }
  setTensorflowEnv();
  if (!probedBefore(pkgDir)) {
    const failed = probeInChild(pkgDir);
    if (failed) return { ok: false, why: `@tensorflow/tfjs-node's binding fails its check: ${failed} (${REBUILD_HINT})` };
  }
  try {
    return { ok: true, module: require(pkgDir) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, why: `@tensorflow/tfjs-node failed to load: ${message.split('\n')[0]} (${REBUILD_HINT})` };
  }
}
