// Checks, in a process of its own, that @tensorflow/tfjs-node loads and computes: a binding built
// against the wrong TensorFlow, or missing a symbol, can abort the whole process (a native crash
// is not an exception), so neither `npm run setup:tensorflow` nor a worker loads it in-process
// before this has said yes once for those exact files (backend-native.ts keeps the answer).
//
//   node lib/ml/native-probe.cjs [packageDir]   (default: @tensorflow/tfjs-node as resolved here)
//                                       → one JSON line: {"ok":true,"tensorflow":"2.21.0",...}
//                                          or {"ok":false,"error":"<one line>"}
// On success it writes lib/napi-v8/hone-probe.json beside the binding: the size and time of the
// binding and of libtensorflow it passed with, so later processes skip the probe until either
// file changes (nativeIdentity, the same function backend-native.ts compares with).
// Plain CommonJS so that it runs with bare node during `npm install`, before tsx is usable.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** Size and mtime of the binding and of the libtensorflow it loads (through symlinks). */
function nativeIdentity(pkgDir) {
  const id = (file) => {
    try {
      const s = fs.statSync(file);
      return `${s.size}:${Math.round(s.mtimeMs)}`;
    } catch {
      return 'missing';
    }
  };
  return {
    binding: id(path.join(pkgDir, 'lib', 'napi-v8', 'tfjs_binding.node')),
    libtensorflow: id(path.join(pkgDir, 'deps', 'lib', 'libtensorflow.so.2')),
  };
}
module.exports = { nativeIdentity };

process.env.TF_CPP_MIN_LOG_LEVEL = process.env.TF_CPP_MIN_LOG_LEVEL || '3';

function answer(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(result.ok ? 0 : 1);
}

function main(pkgDir) {
  const tf = require(pkgDir);
  if (tf.getBackend() !== 'tensorflow') answer({ ok: false, error: `tfjs-node loaded but its backend is "${tf.getBackend()}"` });
  // A product and a reduction: enough to reach libtensorflow's kernels, its allocator and the
  // binding's tensor transfer in both directions.
  const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const b = tf.tensor2d([5, 6, 7, 8], [2, 2]);
  const got = Array.from(tf.matMul(a, b).dataSync());
  const sum = tf.sum(tf.tensor1d([1, 2, 3])).dataSync()[0];
  const want = [19, 22, 43, 50];
  if (got.some((v, i) => v !== want[i]) || sum !== 6) answer({ ok: false, error: `tfjs-node computed wrong values (matMul gave [${got}])` });
  const result = { ok: true, tensorflow: tf.backend().binding.TF_Version, tfjsNode: tf.version['tfjs-node'] };
  try {
    fs.writeFileSync(path.join(pkgDir, 'lib', 'napi-v8', 'hone-probe.json'), `${JSON.stringify({ ...result, ...nativeIdentity(pkgDir) })}\n`);
  } catch {
    // read-only node_modules: every process probes again, nothing breaks
  }
  answer(result);
}

if (require.main === module) {
  try {
    main(process.argv[2] ? path.resolve(process.argv[2]) : path.dirname(require.resolve('@tensorflow/tfjs-node/package.json')));
  } catch (e) {
    const message = e && e.message ? String(e.message) : String(e);
    answer({ ok: false, error: message.split('\n').find((l) => l.trim()) || 'unknown error' });
  }
}
