// Registers tf.js's gradient functions; import this module for its side effect before any
// tf.grad / tf.variableGrads.
//
// WHY: @tensorflow/tfjs-core's Node entry (dist/tf-core.node.js) contains no gradients; they
// live only in its ESM tree (dist/register_all_gradients.js), which is written for bundlers:
// extensionless imports and a `./gradients` that is both a file and a folder. Vite/vitest
// resolve it; Node's own ESM loader (tsx, the CLI, the worker) does not. So: try the official
// entry, and when Node refuses it, import each gradients/*_grad.js file and register what it
// exports (every one loads except Prod's, which we never differentiate). The engine and the
// gradient registry are process-wide globals in tf.js, so both copies of the code share them.
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

async function register(): Promise<void> {
  if (tf.getGradient('Mean')) return;
  try {
    await import('@tensorflow/tfjs-core/dist/register_all_gradients');
    if (tf.getGradient('Mean')) return;
  } catch {
    // Node's ESM loader: fall through to the per-file registration below.
  }
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-core/package.json')), 'dist', 'gradients');
  for (const file of fs.readdirSync(dir)) {
    if (!file.endsWith('_grad.js')) continue;
    let mod: Record<string, unknown>;
    try {
      mod = await import(pathToFileURL(path.join(dir, file)).href);
    } catch {
      continue; // Prod_grad.js imports the ambiguous './gradients'; nothing here needs it.
    }
    for (const config of Object.values(mod)) {
      const c = config as tf.GradConfig;
      if (c && typeof c.kernelName === 'string' && typeof c.gradFunc === 'function') tf.registerGradient(c);
    }
  }
  if (!tf.getGradient('Mean')) throw new Error('could not register TensorFlow.js gradients');
}

await register();
