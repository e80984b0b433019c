// Training and sampling throughput of the trainers' own step code on one TensorFlow.js backend,
// WebGPU included: SFT, RM and PPO (rollout and update) steps and KV-cache sampling, timed as
// scripts/device/trainer-bench.ts describes, plus a square matmul as the backend's ceiling.
//
//   npx tsx scripts/device/gpu-bench.ts [--preset small|large] [--backend NAME] [--batch N] [--steps N]
//     [--new-tokens N] [--matmul N] [--parts sft,rm,ppo,sample,matmul] [--budget S] [--gpu-name NAME] [--probe]
//
// --backend defaults to HONE_TF_BACKEND, then the automatic choice. `large` is GPT-2-small's
// shape (12 layers, d 768, 12 heads) at context 256 on the byte vocabulary. --probe only starts
// the backend, checks one small product and prints {backend, adapter, gpu}. --budget S: no part
// starts after S seconds (the figures so far are kept), so a caller's hard time limit never
// loses the whole run; after every part a line `partial {…}` carries the figures so far.
// --gpu-name: nvidia-smi's name, used for the fp32 peak when the adapter's names are not in
// scripts/device/peaks.ts.
// Prints human lines, then one JSON object as the last line. Exit status 1 when a part failed.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../lib/ml/backend';
import { isGpuBackend } from '../../lib/shared/backends';
import { env } from '../../lib/env';
import { describeAdapter, webgpuAdapter } from '../../lib/ml/backend-webgpu';
import { toGpuError } from '../../lib/ml/gpu-errors';
import { parameterCount } from '../../lib/ml/model/config';
import { BENCH_PRESETS, USAGE, defaultBatch, defaultNewTokens, parseArgs } from './args';
import { fp32Peak } from './peaks';
import { runTrainerBench } from './trainer-bench';

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    console.log(`usage: ${USAGE}\n(scripts/device/args.ts says what each option does)`);
    return 0;
  }
  const args = parseArgs(process.argv.slice(2));
  const settings = env(); // HONE_TF_BACKEND and HONE_WASM_THREADS, validated
  const t0 = performance.now();
  const info = await initBackend({ backend: args.backend || settings.HONE_TF_BACKEND, wasmThreads: settings.HONE_WASM_THREADS });
  const adapter = webgpuAdapter();
  const onGpu = info.name === 'webgpu' && adapter !== null;
  // The peak only means something for the device that computes; a CPU run gets none.
  const gpu = isGpuBackend(info.name) ? fp32Peak([adapter?.device, adapter?.description, args.gpuName]) : null;
  console.log(`backend: ${info.name} (${info.reason})`);
  if (adapter) console.log(`adapter: ${describeAdapter(adapter)}${onGpu ? '' : ' — not used'}`);
  if (gpu) console.log(`fp32 peak: ${gpu.tflops === null ? `unknown for ${gpu.from}` : `${gpu.tflops} TFLOP/s (${gpu.gpu}, from "${gpu.from}")`}`);
  const head = { bench: 'gpu-bench', backend: info.name, reason: info.reason, adapter: adapter ?? null, gpu };

  if (args.probe) {
    // The backend starts and computes: one small product read back.
    const p = tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]));
    const v = (await p.data())[0];
    p.dispose();
    if (v !== 64) throw new Error(`the ${info.name} backend computed 1·1 over 64 terms as ${v}, not 64`);
    console.log(JSON.stringify(head));
    return 0;
  }

  const c = BENCH_PRESETS[args.preset];
  const onDevice = isGpuBackend(info.name);
  const batch = args.batch || defaultBatch(args.preset, onDevice);
  const newTokens = args.newTokens || defaultNewTokens(onDevice);
  const run = { preset: args.preset, config: c, params: parameterCount(c), batch, steps: args.steps, new_tokens: newTokens };
  console.log(`preset ${args.preset}: ${(run.params / 1e6).toFixed(1)}M parameters, batch ${batch} × context ${c.nPositions}, ${args.steps} timed steps, ${newTokens} sampled tokens per row`);
  const seconds = () => Math.round((performance.now() - t0) / 100) / 10;
  const results = await runTrainerBench({
    config: c,
    batch,
    steps: args.steps,
    newTokens,
    matmul: args.matmul,
    parts: args.matmul ? args.parts : args.parts.filter((p) => p !== 'matmul'),
    deadline: args.budget ? t0 + args.budget * 1000 : Infinity,
    peakTflops: gpu?.tflops ?? null,
    log: (line) => console.log(line),
    onPart: (r) => console.log(`partial ${JSON.stringify({ ...head, ...run, ...r, seconds: seconds(), partial: true })}`),
  });
  console.log(JSON.stringify({ ...head, ...run, ...results, seconds: seconds() }));
  return Object.keys(results.errors).length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    const err = toGpuError(e);
    console.error(`gpu-bench failed: ${err.name}: ${err.message}`);
    console.log(JSON.stringify({ bench: 'gpu-bench', error: `${err.name}: ${err.message.split('\n')[0]}` }));
    process.exit(1);
  },
);
