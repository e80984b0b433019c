// `npm run setup:tensorflow` (also run, quietly and never failing, after `npm install`): makes
// the native TensorFlow backend (@tensorflow/tfjs-node) usable on this machine.
//
// tfjs-node's own install downloads libtensorflow from storage.googleapis.com, which machines
// without internet cannot reach; npm then drops the optional package and Hone runs on
// WebAssembly. package.json's allowScripts keeps npm from running that script, and this one does
// the install instead, first way that works:
//   1. the binding is already there and passes the probe: nothing to do;
//   2. tfjs-node's own install (downloads libtensorflow 2.9.1 and a prebuilt binding), which is
//      what a machine with internet gets;
//   3. a build of this exact recipe is in the cache (~/.cache/hone): link it in;
//   4. build offline: take libtensorflow from the tensorflow-cpu wheel (pip download through the
//      machine's package index or mirror, or an installed tensorflow), compile the binding with
//      node-gyp, cache both.
// Each built binding is checked by lib/ml/native-probe.cjs in a child process before it is
// kept. What cannot be done is said in one line (no pip, no compiler, no wheel), and Hone
// still runs on WebAssembly.
//
//   node scripts/setup-tensorflow.mjs [--postinstall] [--force] [--offline]
//     --postinstall  called by npm install: never fails (exit 0 with a one-line reason)
//     --force        rebuild even when a working binding or a cached build exists
//     --offline      skip tfjs-node's own download (step 2)
//   HONE_CACHE_DIR (default $XDG_CACHE_HOME/hone or ~/.cache/hone), HONE_SKIP_TENSORFLOW_SETUP=1,
//   HONE_TFJS_NODE_DIR: set up a copy of the package in that folder instead (its tests do).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TF_VERSION = '2.21.0'; // the tensorflow-cpu wheel whose libtensorflow the binding is built against
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const postinstall = args.has('--postinstall');
const force = args.has('--force');
const offline = args.has('--offline');
const require = createRequire(path.join(root, 'package.json'));
const t0 = Date.now();

const say = (line) => console.log(`[hone] native TensorFlow: ${line}`);
const seconds = () => `${Math.round((Date.now() - t0) / 1000)} s`;

class Unavailable extends Error {}
const unavailable = (why) => {
  throw new Unavailable(why);
};

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  return { ok: r.status === 0 && !r.error, out, error: r.error, status: r.status };
}
const lastLine = (text) =>
  String(text)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop() ?? '';

function cacheRoot() {
  if (process.env.HONE_CACHE_DIR) return process.env.HONE_CACHE_DIR;
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'hone');
}

function packageDir() {
  if (process.env.HONE_TFJS_NODE_DIR) return fs.existsSync(path.join(process.env.HONE_TFJS_NODE_DIR, 'package.json')) ? path.resolve(process.env.HONE_TFJS_NODE_DIR) : null;
  try {
    return path.dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
  } catch {
    return null;
  }
}

const wantedVersion = () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return pkg.optionalDependencies?.['@tensorflow/tfjs-node'] ?? '4.22.0';
};

/** The probe in a child process: {ok, tensorflow} or {ok: false, error}. */
function probe() {
  const r = run(process.execPath, [path.join(root, 'lib/ml/native-probe.cjs'), ...(process.env.HONE_TFJS_NODE_DIR ? [packageDir()] : [])], { cwd: root, timeout: 120_000 });
  const line = r.out.split('\n').find((l) => l.startsWith('{'));
  if (line) {
    try {
      return JSON.parse(line);
    } catch {
      // fall through
    }
  }
  if (r.error?.code === 'ETIMEDOUT') return { ok: false, error: 'the probe did not finish within 120 s' };
  return { ok: false, error: `the probe crashed (${r.status === null ? 'signal' : `exit ${r.status}`}): ${lastLine(r.out) || 'no output'}` };
}

const bindingPath = (pkg) => path.join(pkg, 'lib', 'napi-v8', 'tfjs_binding.node');
const recipeKey = (pkg) => {
  const version = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version;
  return `tfjs-node-${version}-tensorflow-${TF_VERSION}-${process.platform}-${process.arch}`;
};

/** Hard links when the cache and node_modules share a file system (no copy, survives the cache), else copies. */
function linkOrCopy(src, dst) {
  fs.rmSync(dst, { force: true });
  try {
    fs.linkSync(src, dst);
  } catch {
    fs.copyFileSync(src, dst);
  }
}

/** Puts a cached build (deps/lib and the binding) into the package. */
function install(pkg, build) {
  const lib = path.join(pkg, 'deps', 'lib');
  fs.rmSync(path.join(pkg, 'deps'), { recursive: true, force: true });
  fs.mkdirSync(lib, { recursive: true });
  linkOrCopy(path.join(build, 'lib', 'libtensorflow_cc.so.2'), path.join(lib, 'libtensorflow.so.2'));
  linkOrCopy(path.join(build, 'lib', 'libtensorflow_framework.so.2'), path.join(lib, 'libtensorflow_framework.so.2'));
  // The names the binding and node-gyp look for (binding.gyp links -ltensorflow -ltensorflow_framework).
  for (const [name, target] of [
    ['libtensorflow_cc.so.2', 'libtensorflow.so.2'],
    ['libtensorflow.so', 'libtensorflow.so.2'],
    ['libtensorflow_framework.so', 'libtensorflow_framework.so.2'],
  ])
    fs.symlinkSync(target, path.join(lib, name));
  fs.cpSync(path.join(build, 'include'), path.join(pkg, 'deps', 'include'), { recursive: true });
  if (fs.existsSync(path.join(build, 'tfjs_binding.node'))) {
    fs.mkdirSync(path.dirname(bindingPath(pkg)), { recursive: true });
    fs.copyFileSync(path.join(build, 'tfjs_binding.node'), bindingPath(pkg));
  }
}

/** tfjs-node's own install script (downloads from storage.googleapis.com). */
function ownInstall(pkg) {
  const r = run(process.execPath, [path.join(pkg, 'scripts', 'install.js')], { cwd: pkg, timeout: 300_000, env: { ...process.env, npm_config_loglevel: 'silent' } });
  return r.ok ? null : lastLine(r.out) || `exit ${r.status}`;
}

function findPython() {
  for (const py of ['python3', 'python']) if (run(py, ['-m', 'pip', '--version']).ok) return py;
  return null;
}

function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ].filter(Boolean);
  for (const c of candidates) if (fs.existsSync(c)) return [process.execPath, c];
  if (run('node-gyp', ['--version']).ok) return ['node-gyp'];
  return null;
}

/**
 * libtensorflow from the tensorflow-cpu wheel into `dest` (lib/ and the headers the binding
 * includes). Uses an installed tensorflow of that version when there is one, else downloads the
 * wheel once into the cache.
 */
function extractLibtensorflow(py, pkg, dest) {
  const wheels = path.join(cacheRoot(), 'wheels');
  fs.mkdirSync(wheels, { recursive: true });
  const findWheel = () => fs.readdirSync(wheels).find((f) => f.startsWith(`tensorflow_cpu-${TF_VERSION}-`) && f.endsWith('.whl'));
  let wheel = findWheel();
  if (!wheel) {
    const dl = run(py, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--retries', '1', '--timeout', '60', '-d', wheels, `tensorflow-cpu==${TF_VERSION}`], { timeout: 900_000 });
    wheel = findWheel();
    if (!wheel) unavailable(`no tensorflow-cpu ${TF_VERSION} wheel: pip download failed (${lastLine(dl.out) || 'no output'})`);
  }
  // The binding's own #includes and what they include, transitively: 14 headers, not the wheel's 13,000.
  const seeds = fs
    .readdirSync(path.join(pkg, 'binding'))
    .flatMap((f) => [...fs.readFileSync(path.join(pkg, 'binding', f), 'utf8').matchAll(/^\s*#\s*include\s*[<"]([^">]+)[">]/gm)].map((m) => m[1]));
  const script = `
import json, re, sys, zipfile
wheel, dest, seeds = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
z = zipfile.ZipFile(wheel)
names = set(z.namelist())
P = 'tensorflow/include/'
todo, seen = list(seeds), set()
while todo:
    h = todo.pop()
    if h in seen or P + h not in names:
        continue
    seen.add(h)
    todo += re.findall(r'^\\s*#\\s*include\\s*"([^"]+)"', z.read(P + h).decode('utf8', 'replace'), re.M)
    z.extract(P + h, dest + '/x')
for lib in ('libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'):
    z.extract('tensorflow/' + lib, dest + '/x')
print(len(seen))
`;
  const x = run(py, ['-c', script, path.join(wheels, wheel), dest, JSON.stringify(seeds)], { timeout: 600_000 });
  if (!x.ok) unavailable(`could not unpack ${wheel}: ${lastLine(x.out)}`);
  fs.renameSync(path.join(dest, 'x', 'tensorflow', 'include'), path.join(dest, 'include'));
  fs.mkdirSync(path.join(dest, 'lib'));
  for (const lib of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) fs.renameSync(path.join(dest, 'x', 'tensorflow', lib), path.join(dest, 'lib', lib));
  fs.rmSync(path.join(dest, 'x'), { recursive: true, force: true });
  return wheel;
}

/** Builds deps + binding into a fresh cache folder and returns it. */
function buildOffline(pkg) {
  const py = findPython();
  if (!py) unavailable('cannot build offline: no python3 with pip (it fetches the tensorflow-cpu wheel)');
  const gyp = findNodeGyp();
  if (!gyp) unavailable('cannot build offline: node-gyp not found (it comes with npm)');
  if (!run('c++', ['--version']).ok && !run('g++', ['--version']).ok) unavailable('cannot build offline: no C++ compiler (apt-get install g++ make)');
  if (!run('make', ['--version']).ok) unavailable('cannot build offline: no make (apt-get install make)');

  const cache = path.join(cacheRoot(), 'builds');
  fs.mkdirSync(cache, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(cache, '.building-'));
  try {
    const wheel = extractLibtensorflow(py, pkg, tmp);
    install(pkg, tmp);
    const nodedir = process.env.npm_config_nodedir || (fs.existsSync('/usr/include/node/node_api.h') ? '/usr' : undefined);
    const gypArgs = ['rebuild', '--module_name=tfjs_binding', '--module_path=lib/napi-v8', '--napi_build_version=8', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
    const built = run(gyp[0], [...gyp.slice(1), ...gypArgs], { cwd: pkg, timeout: 900_000 });
    const out = path.join(pkg, 'build', 'Release', 'tfjs_binding.node');
    if (!built.ok || !fs.existsSync(out)) {
      const error = built.out.split('\n').find((l) => /error/i.test(l)) || lastLine(built.out);
      unavailable(`node-gyp could not build the binding: ${error.trim()}`);
    }
    fs.copyFileSync(out, path.join(tmp, 'tfjs_binding.node'));
    fs.mkdirSync(path.dirname(bindingPath(pkg)), { recursive: true });
    fs.copyFileSync(out, bindingPath(pkg));
    fs.writeFileSync(path.join(tmp, 'recipe.json'), `${JSON.stringify({ wheel, builtAt: new Date().toISOString(), node: process.version }, null, 2)}\n`);
    const final = path.join(cache, recipeKey(pkg));
    fs.rmSync(final, { recursive: true, force: true });
    fs.renameSync(tmp, final);
    fs.rmSync(path.join(pkg, 'build'), { recursive: true, force: true }); // 20 MB of objects
    return { build: final, wheel };
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

function ensurePackage() {
  let pkg = packageDir();
  if (pkg) return pkg;
  // npm < 11.16 ignores allowScripts: the package's install failed offline and npm removed it.
  if (postinstall) unavailable('@tensorflow/tfjs-node is not in node_modules (its install script failed and npm dropped it; npm 11.16+ skips that script); run `npm run setup:tensorflow`');
  const version = wantedVersion();
  say(`installing @tensorflow/tfjs-node@${version} without its install script`);
  const r = run('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `@tensorflow/tfjs-node@${version}`], { cwd: root, timeout: 600_000 });
  pkg = packageDir();
  if (!pkg) unavailable(`npm could not install @tensorflow/tfjs-node@${version}: ${lastLine(r.out)}`);
  return pkg;
}

function main() {
  if (process.env.HONE_SKIP_TENSORFLOW_SETUP === '1') return say('skipped (HONE_SKIP_TENSORFLOW_SETUP=1); Hone runs on WebAssembly');
  const pkg = ensurePackage();
  if (!force && fs.existsSync(bindingPath(pkg))) {
    const p = probe();
    if (p.ok) return say(`ready (TensorFlow ${p.tensorflow}, tfjs-node ${p.tfjsNode})`);
    say(`the installed binding does not work (${p.error}); setting it up again`);
  }
  // tfjs-node's own install first: on a machine with internet it is the supported way. Offline it
  // fails in under a second (the name lookup) and leaves an empty deps/ behind.
  const why = offline ? 'skipped (--offline)' : ownInstall(pkg);
  if (!why) {
    const p = probe();
    if (p.ok) return say(`ready (TensorFlow ${p.tensorflow}, tfjs-node's own download) in ${seconds()}`);
  }
  const cached = path.join(cacheRoot(), 'builds', recipeKey(pkg));
  if (!force && fs.existsSync(path.join(cached, 'tfjs_binding.node'))) {
    install(pkg, cached);
    const p = probe();
    if (p.ok) return say(`ready (TensorFlow ${p.tensorflow}, built here earlier: ${cached}) in ${seconds()}`);
    say(`the cached build does not work (${p.error}); building again`);
  } else if (!postinstall) {
    say(`tfjs-node's own install did not work (${why ?? 'its binding fails the check'}); building offline from the tensorflow-cpu wheel`);
  }
  const { build, wheel } = buildOffline(pkg);
  const p = probe();
  if (!p.ok) {
    fs.rmSync(build, { recursive: true, force: true });
    fs.rmSync(bindingPath(pkg), { force: true });
    unavailable(`the binding built from ${wheel} fails its check: ${p.error}`);
  }
  say(`ready (TensorFlow ${p.tensorflow}, built from ${wheel} in ${seconds()}; cached in ${build})`);
}

try {
  main();
} catch (e) {
  const why = e instanceof Unavailable ? e.message : `setup failed: ${e?.stack?.split('\n')[0] ?? e}`;
  say(`unavailable: ${why}. Hone runs on WebAssembly.`);
  process.exit(postinstall ? 0 : 1);
}
