// Bundles a TypeScript entry (a benchmark) into one ES module for the device machine.
//
//   node scripts/device/bundle.mjs ENTRY.ts OUT.mjs
//
// Kept external (loaded from the node_modules that copy-runtime.mjs packs): every
// @tensorflow/* package, since lib/ml loads the backends with createRequire and all of them
// must share the one tfjs-core the backends require; and `webgpu`, a native addon.
// Bundled in: tfjs-core's gradient registrations (@tensorflow/tfjs-core/dist/register_all_gradients,
// which lib/ml/ops/gradients.ts imports). That file is ES-module source with extensionless
// imports that Node's own loader refuses; esbuild resolves them, and the registrations land in
// tf.js's process-wide gradient registry, shared with the external tfjs-core.
import path from 'node:path';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const [entry, outfile] = process.argv.slice(2);
if (!entry || !outfile) {
  console.error('usage: node scripts/device/bundle.mjs ENTRY.ts OUT.mjs');
  process.exit(2);
}
const require = createRequire(path.resolve('package.json'));

const honeExternals = {
  name: 'hone-externals',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-core\/dist\/register_all_gradients$/ }, () => ({
      path: require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js'),
    }));
    build.onResolve({ filter: /^(@tensorflow\/|webgpu$)/ }, (args) => ({ path: args.path, external: true }));
  },
};

await esbuild.build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  plugins: [honeExternals],
  // CommonJS dependencies bundled into an ES module still call require() for Node built-ins.
  banner: { js: "import { createRequire as __honeCreateRequire } from 'node:module'; const require = __honeCreateRequire(import.meta.url);" },
});
