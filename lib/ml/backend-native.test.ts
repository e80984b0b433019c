// A native binding that is missing, broken or crashes must never take the process down: each
// case ends in a one-line reason that says how to build it, and the next backend.
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadNativeTensorflow } from './backend-native';

/** A folder that looks like @tensorflow/tfjs-node to the loader, with the given index.js and binding. */
function fakePackage(index: string, binding?: Buffer | string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hone-fake-tfjs-node-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: '0.0.0', main: 'index.js' }));
  fs.writeFileSync(path.join(dir, 'index.js'), index);
  if (binding !== undefined) {
    fs.mkdirSync(path.join(dir, 'lib', 'napi-v8'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'lib', 'napi-v8', 'tfjs_binding.node'), binding);
  }
  return dir;
}

const loadBinding = "require('./lib/napi-v8/tfjs_binding.node'); module.exports = {};";

describe('loading native TensorFlow', () => {
  test('no package, or a package without its binding: the reason names the setup command', () => {
    const none = loadNativeTensorflow({ packageDir: path.join(os.tmpdir(), 'hone-no-such-package') });
    expect(none).toEqual({ ok: false, why: expect.stringMatching(/not installed \(`npm run setup:tensorflow` builds it offline\)/) });
    const bare = loadNativeTensorflow({ packageDir: fakePackage(loadBinding) });
    expect(bare).toEqual({ ok: false, why: expect.stringMatching(/has no native binding .*npm run setup:tensorflow/) });
  });

  test('a binding that is not a library fails its check in a child process, with the loader’s one line', () => {
    const r = loadNativeTensorflow({ packageDir: fakePackage(loadBinding, 'this is not an ELF file') });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.why).toMatch(/binding fails its check: .*(invalid ELF header|file too short)/);
    expect(r.why).not.toContain('\n');
  });

  test('a binding that loads but reports the wrong TensorFlow falls back with that message', () => {
    const r = loadNativeTensorflow({ packageDir: fakePackage("throw new Error('built for TensorFlow 2.9.1 but libtensorflow 2.21.0 is loaded\\nsecond line');", 'x') });
    expect(r).toEqual({ ok: false, why: expect.stringMatching(/fails its check: built for TensorFlow 2\.9\.1 but libtensorflow 2\.21\.0 is loaded \(/) });
  });

  const compiler = spawnSync('g++', ['--version']).status === 0 && fs.existsSync('/usr/include/node/node_api.h');
  test.skipIf(!compiler)('a binding missing a symbol kills only the check process, never this one', () => {
    // A real N-API addon whose init calls a function no library defines: the dynamic linker
    // aborts the process that loads it ("symbol lookup error"), as a binding built against
    // another libtensorflow does.
    const dir = fakePackage(loadBinding);
    const src = path.join(dir, 'addon.cc');
    fs.writeFileSync(
      src,
      `#include <node_api.h>
extern "C" void TF_NotARealFunction(void);
static napi_value Init(napi_env env, napi_value exports) { TF_NotARealFunction(); return exports; }
NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
`,
    );
    fs.mkdirSync(path.join(dir, 'lib', 'napi-v8'), { recursive: true });
    const cc = spawnSync('g++', ['-shared', '-fPIC', '-I/usr/include/node', src, '-o', path.join(dir, 'lib', 'napi-v8', 'tfjs_binding.node')], { encoding: 'utf8' });
    expect(cc.status, cc.stderr).toBe(0);
    const r = loadNativeTensorflow({ packageDir: dir });
    expect(r).toEqual({ ok: false, why: expect.stringMatching(/crashed the check process .*TF_NotARealFunction/) });
  });
});
