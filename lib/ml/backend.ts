// The one place that picks the TensorFlow.js backend (docs/design.md, "The ML core").
//
// Order when nothing is forced: @tensorflow/tfjs-node-gpu (only if it is installed AND finds a
// GPU), WebGPU through Dawn (a hardware adapter; a software one such as lavapipe is skipped with
// its reason; see WEBGPU_AUTO in backend-webgpu.ts), @tensorflow/tfjs-node (native TensorFlow on the CPU, built
// offline by `npm run setup:tensorflow` where its download cannot run; loaded through
// backend-native.ts, which checks a binding in a child process first), the WebAssembly backend,
// then plain JS on the CPU. The native packages download libtensorflow from outside the npm
// registry, so they can only ever be optional dependencies and their absence is normal.
//
// A backend can be forced with `initBackend({ backend })`. This file reads no environment: the
// callers that own configuration (the worker through lib/env.ts, lib/ml/cli.ts for its own
// flags) pass HONE_TF_BACKEND and HONE_WASM_THREADS as arguments; nothing passed means the
// automatic choice. A forced backend that cannot start is an error, never a silent fallback.
//
// After a GPU failure mid-job (device lost, rejected command), `recoverBackend()` recreates the
// WebGPU device in-process or, when that fails, falls back to the best CPU backend, and says
// so in the reason the heartbeat reports.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describeAdapter, prepareWebgpu, recoverWebgpu, webgpuAdapter } from './backend-webgpu';
import { REBUILD_HINT, loadNativeTensorflow } from './backend-native';
import { withFileBackedBlobs } from './ops/wasm-threads';
import { BACKEND_NAMES, BackendName, WasmThreadsSetting } from '../shared/backends';

export type { BackendName } from '../shared/backends';

export type BackendOptions = {
  /** Force one backend (HONE_TF_BACKEND); unset or '' means the automatic choice. */
  backend?: BackendName | string;
  /**
   * Opt in to WebAssembly threads (HONE_WASM_THREADS). tfjs disables them in Node; they gave
   * +30–40% on two cores here but were flaky, so they stay off unless asked for. `true` uses
   * one thread per core; a number sets the count; text is read as HONE_WASM_THREADS is.
   */
  wasmThreads?: boolean | number | string;
};

export type BackendInfo = {
  /** Our name for the live backend. */
  name: BackendName;
  /** Why it was chosen (or what failed on the way). */
  reason: string;
  /** tf.getBackend() — the engine's registered name ('tensorflow' for both native packages). */
  tfBackend: string;
  /** XNNPACK threads, wasm only. */
  threads?: number;
  /** What actually computes, in words: "TensorFlow 2.21.0 (tfjs-node 4.22.0)", "XNNPACK, 1 thread", … */
  engine: string;
};

const require = createRequire(import.meta.url);

/** Loads an optional package; undefined when it is not installed or fails to load. */
function tryRequire(name: string): { module?: unknown; error?: string } {
  try {
    return { module: require(name) };
  } catch (e) {
    return { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}

export type Attempt = { ok: true; threads?: number } | { ok: false; why: string };

/** The engine behind the live backend, in words (worker start line, heartbeat, /admin/workers, /api/health). */
function describeEngine(name: BackendName, threads?: number): string {
  if (name === 'tensorflow' || name === 'tensorflow-gpu') {
    const be = tf.backend() as unknown as { binding?: { TF_Version?: string }; isUsingGpuDevice?: boolean };
    const pkg = name === 'tensorflow' ? '@tensorflow/tfjs-node' : '@tensorflow/tfjs-node-gpu';
    let version = '';
    try {
      version = ` ${(require(`${pkg}/package.json`) as { version: string }).version}`;
    } catch {
      // the version is only informative
    }
    return `TensorFlow ${be.binding?.TF_Version ?? '?'} native, through ${pkg}${version}${name === 'tensorflow-gpu' ? ' (CUDA)' : ''}`;
  }
  if (name === 'wasm') return `WebAssembly with XNNPACK, ${threads ?? 1} thread${(threads ?? 1) > 1 ? 's' : ''}`;
  if (name === 'webgpu') return 'WebGPU through Dawn';
  return 'plain JavaScript';
}

async function activate(name: string): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

async function tryTensorflowGpu(): Promise<Attempt> {
  const loaded = tryRequire('@tensorflow/tfjs-node-gpu');
  if (!loaded.module) return { ok: false, why: `@tensorflow/tfjs-node-gpu not installed (${loaded.error})` };
  if (!(await activate('tensorflow'))) return { ok: false, why: 'tfjs-node-gpu loaded but its backend did not start' };
  // The GPU package runs on the CPU when CUDA finds no device; only count it if it found one.
  const be = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
  if (be.isUsingGpuDevice === false) return { ok: false, why: 'tfjs-node-gpu found no GPU' };
  return { ok: true };
}

async function tryTensorflow(): Promise<Attempt> {
  // Checked in a child process before the first in-process load (backend-native.ts).
  const loaded = loadNativeTensorflow();
  if (!loaded.ok) return { ok: false, why: loaded.why };
  if (!(await activate('tensorflow'))) return { ok: false, why: `tfjs-node loaded but its backend did not start (${REBUILD_HINT})` };
  await startWasmAlongside();
  return { ok: true };
}

async function tryWebgpu(forced: boolean): Promise<Attempt> {
  // Dawn through the `webgpu` package (lib/ml/backend-webgpu.ts): finds an adapter, says in one
  // line why there is none, registers tfjs-backend-webgpu on it. Forced, a software adapter
  // (lavapipe) is accepted so the WebGPU path can be tested without a GPU.
  const r = await prepareWebgpu({ allowSoftware: forced, auto: !forced });
  if (!r.ok) return { ok: false, why: forced ? `${r.why} (see docs/gpu.md)` : r.why };
  if (!(await activate('webgpu'))) return { ok: false, why: `the WebGPU backend did not start on ${describeAdapter(r.adapter)}` };
  return { ok: true };
}

/** tfjs-backend-wasm with its .wasm files found on disk, or why not. */
function loadWasmPackage(): { wasm?: typeof import('@tensorflow/tfjs-backend-wasm'); why?: string } {
  const loaded = tryRequire('@tensorflow/tfjs-backend-wasm');
  if (!loaded.module) return { why: `@tensorflow/tfjs-backend-wasm not installed (${loaded.error})` };
  const wasm = loaded.module as typeof import('@tensorflow/tfjs-backend-wasm');
  // In Node the .wasm binaries are read from disk: point tfjs at the package's dist folder
  // (resolved, so it works from any working directory and under bundlers' node_modules layout).
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
  wasm.setWasmPaths(dist);
  return { wasm };
}

/**
 * Starts the WebAssembly backend without making it the active one: on native TensorFlow the
 * decoding path runs its small one-row products on XNNPACK (ops/kernel mmWeight), where
 * TensorFlow's eager matmul costs ~3× more per call. Best effort: without it decoding uses
 * TensorFlow's products.
 */
async function startWasmAlongside(): Promise<void> {
  if (!loadWasmPackage().wasm) return;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  try {
    const engine = tf.engine() as unknown as { initializeBackend(name: string): { success: boolean | Promise<boolean> }; registry: Record<string, tf.KernelBackend> };
    if (!(await engine.initializeBackend('wasm').success)) return;
    // Kernels bind their wasm functions when their backend becomes active; this one never does.
    tf.getKernel('BatchMatMul', 'wasm')?.setupFunc?.(engine.registry.wasm);
  } catch {
    // decoding falls back to TensorFlow's products
  }
}

async function tryWasm(threads: boolean | number | undefined): Promise<Attempt> {
  const { wasm, why } = loadWasmPackage();
  if (!wasm) return { ok: false, why: why! };
  // tfjs hard-codes WASM_HAS_MULTITHREAD_SUPPORT=false in Node. Opt-in only (see BackendOptions).
  if (threads) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    const n = typeof threads === 'number' ? threads : (await import('node:os')).availableParallelism();
    wasm.setThreadsCount(Math.max(1, n));
  } else {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  // With threads, Node needs the pthread workers' blob: URLs backed by files (ops/wasm-threads).
  const started = threads ? await withFileBackedBlobs(() => activate('wasm')) : await activate('wasm');
  if (!started) return { ok: false, why: `the WebAssembly backend failed to initialise${threads ? ' with threads (HONE_WASM_THREADS)' : ''}` };
  return { ok: true, threads: wasm.getThreadsCount() };
}

async function tryCpu(): Promise<Attempt> {
  return (await activate('cpu')) ? { ok: true } : { ok: false, why: 'the plain JS backend failed to start' };
}

/** The options once parsed: the thread setting is a count or a switch, never text. */
type StartOptions = { backend?: string; wasmThreads?: boolean | number };

/** Extensible table: a new backend (e.g. webgpu) is one entry here plus its place in AUTO_ORDER. */
const STARTERS: Record<BackendName, (o: StartOptions) => Promise<Attempt>> = {
  'tensorflow-gpu': () => tryTensorflowGpu(),
  tensorflow: () => tryTensorflow(),
  webgpu: (o) => tryWebgpu(o.backend === 'webgpu'),
  wasm: (o) => tryWasm(o.wasmThreads),
  cpu: () => tryCpu(),
};
export const AUTO_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'];

/**
 * Tries `order` until one starts: the chosen backend with the one-line reasons of those skipped
 * before it, or every reason when none starts. Starters are passed in, so the order and the
 * reasons are testable without the backends.
 */
export async function pickInOrder(
  order: readonly BackendName[],
  tryStart: (name: BackendName) => Promise<Attempt>,
): Promise<{ name: BackendName; threads?: number; skipped: string[] } | { name: null; skipped: string[] }> {
  const skipped: string[] = [];
  for (const name of order) {
    const r = await tryStart(name);
    if (r.ok) return { name, threads: r.threads, skipped };
    skipped.push(r.why);
  }
  return { name: null, skipped };
}

/** The reason an automatic choice reports. */
export function autoReason(name: BackendName, skipped: string[]): string {
  return skipped.length ? `auto: ${skipped.join('; ')}` : `auto: ${name} available`;
}

let live: BackendInfo | undefined;
let pending: Promise<BackendInfo> | undefined;
// The options of the first start, reused by recoverBackend; the reason it gave; whether a
// recovery left WebGPU for a CPU backend (a forced `webgpu` then stays on the fallback).
let startOptions: StartOptions = {};
let firstReason = '';
let fellBack = false;
let generation = 0;
let recovering: Promise<BackendInfo> | undefined;

function wasmThreadsOf(v: BackendOptions['wasmThreads']): boolean | number | undefined {
  if (typeof v !== 'string') return v || undefined;
  const parsed = WasmThreadsSetting.safeParse(v);
  if (!parsed.success) throw new Error(parsed.error.issues[0].message);
  return parsed.data;
}

/**
 * Selects and starts the backend once per process (later calls return the same answer unless
 * a different backend is forced). Returns the live backend and why it was chosen.
 */
export function initBackend(opts: BackendOptions = {}): Promise<BackendInfo> {
  const forced = opts.backend || undefined;
  let threads: boolean | number | undefined;
  try {
    threads = wasmThreadsOf(opts.wasmThreads);
  } catch (e) {
    return Promise.reject(e);
  }
  if (live && (!forced || forced === live.name || fellBack)) return Promise.resolve(live);
  if (pending && !forced) return pending;
  pending = start(forced, threads).then((info) => {
    live = info;
    startOptions = { backend: forced, wasmThreads: threads };
    firstReason = info.reason;
    return info;
  });
  pending.catch(() => {
    pending = undefined;
  });
  return pending;
}

async function start(forced: string | undefined, wasmThreads: boolean | number | undefined): Promise<BackendInfo> {
  const o: StartOptions = { wasmThreads, backend: forced };
  if (forced) {
    const known = BackendName.safeParse(forced);
    if (!known.success) throw new Error(`Unknown TensorFlow.js backend "${forced}" (HONE_TF_BACKEND); use one of ${BACKEND_NAMES.join(', ')}`);
    const name = known.data;
    const r = await STARTERS[name](o);
    if (!r.ok) throw new Error(`TensorFlow.js backend "${name}" was forced but is unavailable: ${r.why}`);
    return { name, reason: `forced (${name})`, tfBackend: tf.getBackend(), threads: r.threads, engine: describeEngine(name, r.threads) };
  }
  const picked = await pickInOrder(AUTO_ORDER, (name) => STARTERS[name](o));
  if (!picked.name) throw new Error(`No TensorFlow.js backend could start: ${picked.skipped.join('; ')}`);
  const { name, threads, skipped } = picked;
  return { name, reason: autoReason(name, skipped), tfBackend: tf.getBackend(), threads, engine: describeEngine(name, threads) };
}

/** Counts recoveries: a job that saw it change while it ran lost its tensors with the old backend. */
export function backendGeneration(): number {
  return generation;
}

/**
 * After a GPU failure (device lost, rejected command): recreates the WebGPU device, or, when
 * that fails, starts the best CPU backend in this process (the automatic order without
 * webgpu). Returns the live backend; its reason says what happened, so the heartbeat and
 * /admin/workers show the backend really in use. Tensors made before are gone (callers reload
 * weights; jobs resume from checkpoints). Concurrent calls share one recovery. On a backend
 * other than WebGPU there is no device to recreate and the live backend is returned.
 */
export function recoverBackend(cause = 'a GPU failure'): Promise<BackendInfo> {
  recovering ??= recover(cause).finally(() => {
    recovering = undefined;
  });
  return recovering;
}

/** Resolves once no recovery is in flight (a job whose backend was already replaced waits for it). */
export async function recoveryDone(): Promise<void> {
  await recovering?.catch(() => {});
}

async function recover(cause: string): Promise<BackendInfo> {
  const before = backendInfo();
  if (before.name !== 'webgpu') return before;
  const allowSoftware = webgpuAdapter()?.software ?? startOptions.backend === 'webgpu';
  const first = firstReason || before.reason;
  generation++;
  const r = await recoverWebgpu({ allowSoftware });
  if (r.ok) {
    live = { name: 'webgpu', reason: `${first}; WebGPU device recreated after: ${cause}`, tfBackend: tf.getBackend(), engine: describeEngine('webgpu') };
    return live;
  }
  const o: StartOptions = { wasmThreads: startOptions.wasmThreads };
  const picked = await pickInOrder(
    AUTO_ORDER.filter((n) => n !== 'webgpu'),
    (name) => STARTERS[name](o),
  );
  if (!picked.name) throw new Error(`After ${cause}, neither WebGPU (${r.why}) nor any CPU backend could start: ${picked.skipped.join('; ')}`);
  fellBack = true;
  const { name, threads, skipped } = picked;
  live = {
    name,
    reason: `fell back to ${name} after: ${cause}; recreating the WebGPU device failed: ${r.why}${skipped.length ? `; skipped: ${skipped.join('; ')}` : ''}`,
    tfBackend: tf.getBackend(),
    threads,
    engine: describeEngine(name, threads),
  };
  return live;
}

/** The live backend as chosen by initBackend, or what tf.js runs on if it was never called. */
export function backendInfo(): BackendInfo {
  if (live && live.tfBackend === tf.getBackend()) return live;
  const tfBackend = tf.getBackend();
  const name: BackendName = tfBackend === 'wasm' ? 'wasm' : tfBackend === 'webgpu' ? 'webgpu' : tfBackend === 'tensorflow' ? 'tensorflow' : 'cpu';
  return { name, reason: 'set outside initBackend', tfBackend, engine: describeEngine(name) };
}

// --- WebAssembly heap guard ----------------------------------------------------------------
// wasm32 addresses at most 4 GiB, and the heap never shrinks. Past the limit tfjs fails deep
// inside a kernel with an opaque "Cannot enlarge memory" abort; trainers call this guard with
// an estimate before a step so the user gets a clear message (lower the micro-batch size).

export const WASM_HEAP_LIMIT = 4 * 1024 ** 3;

/** Current size of the wasm heap in bytes (0 on other backends). */
export function wasmHeapBytes(): number {
  if (tf.getBackend() !== 'wasm') return 0;
  const be = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return be.wasm?.HEAPU8?.buffer.byteLength ?? 0;
}

/**
 * Throws a clear error when live tensors plus `extraBytes` would not fit the 4 GiB wasm heap
 * (with 10% headroom for fragmentation). No-op on other backends.
 */
export function assertWasmHeapFits(extraBytes: number, what = 'this step'): void {
  if (tf.getBackend() !== 'wasm') return;
  const used = tf.memory().numBytes;
  if (used + extraBytes > WASM_HEAP_LIMIT * 0.9) {
    const gib = (b: number) => (b / 1024 ** 3).toFixed(2);
    throw new Error(
      `WebAssembly heap limit: ${what} needs about ${gib(extraBytes)} GiB on top of ${gib(used)} GiB in use, ` +
        `over the 4 GiB wasm32 limit. Lower the micro-batch size (gradient accumulation keeps the effective batch).`,
    );
  }
}
