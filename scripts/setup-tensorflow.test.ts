// `npm run setup:tensorflow` on a copy of @tensorflow/tfjs-node without its binary: the offline
// build from the tensorflow-cpu wheel produces a binding that passes the probe, a second run
// finds it ready, and a machine without the tools gets one line saying what is missing.
// (CI's own `npm ci` finds the cached build, so this is what keeps the build itself tested.)
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const installed = path.join(root, 'node_modules', '@tensorflow', 'tfjs-node');

/** A copy of the package as npm leaves it offline (no deps/, no binding), inside node_modules so its own dependencies resolve. */
function barePackage(): string {
  const dir = fs.mkdtempSync(path.join(root, 'node_modules', '.hone-setup-test-'));
  for (const entry of ['package.json', 'binding.gyp', 'binding', 'dist', 'scripts']) fs.cpSync(path.join(installed, entry), path.join(dir, entry), { recursive: true });
  return dir;
}

function setup(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'setup-tensorflow.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 600_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const pipWorks = spawnSync('python3', ['-m', 'pip', '--version']).status === 0 && spawnSync('g++', ['--version']).status === 0;

describe.runIf(fs.existsSync(path.join(installed, 'package.json')))('npm run setup:tensorflow', () => {
  it.runIf(pipWorks)('builds the binding offline from the wheel, checks it, caches it, and finds it ready next time', { timeout: 600_000 }, () => {
    const pkg = barePackage();
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'hone-setup-cache-'));
    // The wheel (262 MB) is taken from the machine's cache when it has one, so the test does not download it again.
    const wheels = path.join(process.env.HONE_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'hone'), 'wheels');
    if (fs.existsSync(wheels)) fs.symlinkSync(wheels, path.join(cache, 'wheels'));
    try {
      const env = { HONE_TFJS_NODE_DIR: pkg, HONE_CACHE_DIR: cache };
      const first = setup(['--offline'], env);
      expect(first.out, first.out).toMatch(/native TensorFlow: ready \(TensorFlow 2\.21\.0, built from tensorflow_cpu-2\.21\.0-.*\.whl in \d+ s; cached in /);
      expect(first.status).toBe(0);
      expect(fs.existsSync(path.join(pkg, 'lib', 'napi-v8', 'tfjs_binding.node'))).toBe(true);
      expect(JSON.parse(fs.readFileSync(path.join(pkg, 'lib', 'napi-v8', 'hone-probe.json'), 'utf8'))).toMatchObject({ ok: true, tensorflow: '2.21.0' });
      const again = setup(['--offline'], env);
      expect(again.out).toMatch(/native TensorFlow: ready \(TensorFlow 2\.21\.0, tfjs-node 4\.22\.0\)/);
      // Without deps/ and the binding (npm ci wiped node_modules), the cached build is linked in.
      fs.rmSync(path.join(pkg, 'deps'), { recursive: true });
      fs.rmSync(path.join(pkg, 'lib'), { recursive: true });
      const relinked = setup(['--offline'], env);
      expect(relinked.out).toMatch(/native TensorFlow: ready \(TensorFlow 2\.21\.0, built here earlier: /);
    } finally {
      fs.rmSync(pkg, { recursive: true, force: true });
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it('says in one line what is missing when it cannot build, and never fails npm install', () => {
    const pkg = barePackage();
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'hone-setup-path-'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node')); // a PATH with node and nothing else: no python3, no compiler
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'hone-setup-cache-'));
    try {
      const env = { HONE_TFJS_NODE_DIR: pkg, HONE_CACHE_DIR: cache, PATH: bin };
      const during = setup(['--postinstall', '--offline'], env);
      expect(during.status).toBe(0);
      expect(during.out.trim().split('\n')).toEqual(['[hone] native TensorFlow: unavailable: cannot build offline: no python3 with pip (it fetches the tensorflow-cpu wheel). Hone runs on WebAssembly.']);
      const asked = setup(['--offline'], env);
      expect(asked.status).toBe(1);
    } finally {
      for (const d of [pkg, bin, cache]) fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
