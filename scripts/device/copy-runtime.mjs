// Copies the packages the bundled benchmarks load at run time (what esbuild cannot inline) into
// DEST/node_modules, trimmed to the files Node actually reads, with their dependency closure:
//
//   @tensorflow/tfjs-*   loaded through createRequire by lib/ml/backend*.ts (and sharing one
//                        tfjs-core instance), so they stay real packages: package.json + the
//                        Node build named by "main" + the .wasm binaries of the wasm backend
//   webgpu               index.js + dist/linux-x64/dawn.node (the Dawn build for the device)
//   their dependencies   (seedrandom, node-fetch, …) copied whole; type-only packages skipped
//
//   node scripts/device/copy-runtime.mjs DEST
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const dest = process.argv[2];
if (!dest) {
  console.error('usage: node scripts/device/copy-runtime.mjs DEST');
  process.exit(2);
}
const ROOTS = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'webgpu'];
const SKIP = (name) => name.startsWith('@types/') || name === '@webgpu/types';

/** The package's folder as Node would resolve it from `fromDir`. */
function packageDir(name, fromDir) {
  const req = createRequire(path.join(fromDir, 'noop.js'));
  let dir;
  try {
    dir = path.dirname(req.resolve(`${name}/package.json`));
  } catch {
    // Packages whose "exports" hide package.json: walk up from the resolved entry.
    dir = path.dirname(req.resolve(name));
    while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name) {
      const up = path.dirname(dir);
      if (up === dir) throw new Error(`cannot find the folder of ${name}`);
      dir = up;
    }
  }
  return dir;
}

function copyFile(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

/** Which files of a package to take (relative paths), or null for the whole folder. */
function selection(name, dir, pkg) {
  if (name === 'webgpu') return ['package.json', 'index.js', 'dist/linux-x64/dawn.node'];
  if (name.startsWith('@tensorflow/')) {
    const dist = path.join(dir, 'dist');
    const extra = fs.existsSync(dist) ? fs.readdirSync(dist).filter((f) => f.endsWith('.wasm') || f.endsWith('.worker.js')).map((f) => `dist/${f}`) : [];
    return ['package.json', pkg.main, ...extra];
  }
  return null;
}

const seen = new Map();
const queue = ROOTS.map((name) => ({ name, from: process.cwd() }));
while (queue.length) {
  const { name, from } = queue.shift();
  if (seen.has(name) || SKIP(name)) continue;
  const dir = packageDir(name, from);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const target = path.join(dest, 'node_modules', name);
  const files = selection(name, dir, pkg);
  if (files) for (const f of files) copyFile(path.join(dir, f), path.join(target, f));
  else fs.cpSync(dir, target, { recursive: true, filter: (src) => !src.slice(dir.length).includes(`${path.sep}node_modules${path.sep}`) && !src.endsWith('.map') && !src.endsWith('.d.ts') });
  seen.set(name, pkg.version);
  for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push({ name: dep, from: dir });
}
console.log(`copied ${seen.size} packages: ${[...seen].map(([n, v]) => `${n}@${v}`).join(' ')}`);
