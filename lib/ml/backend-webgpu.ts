// The WebGPU backend on Node: @tensorflow/tfjs-backend-webgpu running on Dawn through the
// `webgpu` npm package, which ships a prebuilt dawn.node and drives the GPU through Vulkan on
// Linux. lib/ml/backend.ts calls `prepareWebgpu()` for its `webgpu` entry and then activates
// the backend; nothing else in lib/ml needs to know about Dawn.
//
// How it starts (checked against tfjs-backend-webgpu 4.22's src/base.ts): that package only
// registers its backend at import time when `navigator.gpu` exists, and its factory calls
// `navigator.gpu.requestAdapter()` itself. Node 20 has no navigator, and we want the device in
// hand (to listen to `device.lost` and uncaptured errors, and to report the adapter), so we
// register our own factory that builds the same WebGPUBackend(device, adapterInfo) with the
// same required limits from the adapter we already requested. Dawn's WebGPU constants
// (GPUBufferUsage, GPUMapMode, …) are installed on globalThis, where the kernels look for them.
//
// When there is no adapter, the reason is worked out before Dawn is even loaded where possible
// (no libvulkan.so.1, no Vulkan driver file), so CPU machines pay nothing and the log gets one
// line instead of Dawn's multi-line warnings.
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { WebgpuSyncReadError, assertGpuHealthy, recordGpuEvent, resetGpuEvents, toGpuError } from './gpu-errors';

// ---- the few WebGPU shapes we touch (structural: the DOM lib's WebGPU types vary by TS) ----

type Limits = Record<string, number>;
type AdapterInfoLike = { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
type GpuErrorLike = { message: string; constructor: { name: string } };
export type DawnDevice = {
  lost: Promise<{ reason: string; message: string }>;
  limits: Limits;
  destroy(): void;
  pushErrorScope(filter: 'out-of-memory' | 'validation' | 'internal'): void;
  popErrorScope(): Promise<GpuErrorLike | null>;
  addEventListener(type: 'uncapturederror', cb: (ev: { error: GpuErrorLike }) => void): void;
};
type DawnAdapter = {
  info?: AdapterInfoLike;
  features: Set<string> & Iterable<string>;
  limits: Limits;
  requestDevice(desc?: { requiredFeatures?: string[]; requiredLimits?: Limits }): Promise<DawnDevice>;
};
type DawnGpu = { requestAdapter(opts?: { powerPreference?: 'high-performance' | 'low-power'; forceFallbackAdapter?: boolean }): Promise<DawnAdapter | null> };
type DawnModule = { create(flags: string[]): DawnGpu; globals: Record<string, unknown> };

/** What the chosen adapter is, for logs, heartbeats and the admin page. */
export type WebgpuAdapterReport = {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A software (CPU) implementation such as Mesa's lavapipe/llvmpipe or SwiftShader. */
  software: boolean;
  limits: {
    maxBufferSize: number;
    maxStorageBufferBindingSize: number;
    maxComputeWorkgroupStorageSize: number;
    maxComputeInvocationsPerWorkgroup: number;
    maxComputeWorkgroupsPerDimension: number;
  };
  features: string[];
};

export type WebgpuPrepared = { ok: true; adapter: WebgpuAdapterReport } | { ok: false; why: string };

export type WebgpuOptions = {
  /** Automatic selection (nothing forced): a hardware adapter is taken while WEBGPU_AUTO is on. */
  auto?: boolean;
  /**
   * Accept a software adapter (lavapipe, SwiftShader). Automatic selection does not — on a CPU
   * one is slower than the WebAssembly backend — but a forced `webgpu` does, so the WebGPU code
   * path can be tested on machines without a GPU.
   */
  allowSoftware?: boolean;
};

const require = createRequire(import.meta.url);

/**
 * Whether automatic selection may pick WebGPU when a hardware adapter exists (after
 * tfjs-node-gpu, before the CPU backends). On: the ML core reads GPU tensors asynchronously
 * (`await t.data()`), the only way Node can. A software adapter is never taken automatically.
 */
export const WEBGPU_AUTO: boolean = true;

// ---- why there is no adapter (checked without loading Dawn) ---------------------------------

const LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/lib/aarch64-linux-gnu', '/usr/lib64', '/lib64', '/usr/lib', '/lib', '/usr/local/lib'];
const ICD_DIRS = ['/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/share/vulkan/icd.d', '/usr/local/nvidia/share/vulkan/icd.d'];
/** Where NVIDIA's container toolkit mounts the driver's ICD file (the device machines do). */
export const NVIDIA_ICD = '/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json';

/** Whether the dynamic linker can find the Vulkan loader (libvulkan.so.1). Linux only. */
export function vulkanLoaderPresent(): boolean {
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...LIB_DIRS];
  if (dirs.some((d) => fs.existsSync(path.join(d, 'libvulkan.so.1')))) return true;
  try {
    return /libvulkan\.so\.1\b/.test(execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return false;
  }
}

/** Vulkan driver manifests (ICD json files) the loader would consider. */
export function vulkanDrivers(): string[] {
  const explicit = (process.env.VK_DRIVER_FILES || process.env.VK_ICD_FILENAMES || '').split(':').filter(Boolean);
  if (explicit.length) return explicit.filter((f) => fs.existsSync(f));
  const found: string[] = [];
  for (const d of ICD_DIRS) {
    try {
      for (const f of fs.readdirSync(d)) if (f.endsWith('.json')) found.push(path.join(d, f));
    } catch {
      // directory absent
    }
  }
  return found;
}

/** What explainNoAdapter looks at, so each case can be checked without changing the machine. */
export type VulkanFacts = {
  platform: string;
  arch: string;
  loader: boolean;
  drivers: string[];
  nvidiaIcd: boolean;
  /** VK_DRIVER_FILES / VK_ICD_FILENAMES entries that do not exist (the loader then finds nothing). */
  missingExplicit?: string[];
};

/** The driver files named by VK_DRIVER_FILES / VK_ICD_FILENAMES that do not exist. */
function missingExplicitDrivers(): string[] {
  const explicit = (process.env.VK_DRIVER_FILES || process.env.VK_ICD_FILENAMES || '').split(':').filter(Boolean);
  return explicit.filter((f) => !fs.existsSync(f));
}

export function vulkanFacts(): VulkanFacts {
  const linux = process.platform === 'linux';
  return {
    platform: process.platform,
    arch: process.arch,
    loader: linux && vulkanLoaderPresent(),
    drivers: linux ? vulkanDrivers() : [],
    nvidiaIcd: linux && fs.existsSync(NVIDIA_ICD),
    missingExplicit: linux ? missingExplicitDrivers() : [],
  };
}

/** One line saying why Dawn found no adapter, from the facts (default: this machine's). */
export function explainNoAdapter(f: VulkanFacts = vulkanFacts()): string {
  if (f.platform !== 'linux') return `no WebGPU adapter on ${f.platform}-${f.arch}`;
  if (!f.loader) return "no WebGPU adapter: Couldn't load Vulkan (libvulkan.so.1 missing; install libvulkan1)";
  if (!f.drivers.length && f.missingExplicit?.length) {
    const hint = f.nvidiaIcd ? `; set VK_DRIVER_FILES=${NVIDIA_ICD}` : '';
    return `no WebGPU adapter: VK_DRIVER_FILES names ${f.missingExplicit.join(', ')}, which does not exist, so the Vulkan loader has no driver${hint}`;
  }
  if (!f.drivers.length) {
    const hint = f.nvidiaIcd ? `set VK_DRIVER_FILES=${NVIDIA_ICD}` : "install the GPU driver's Vulkan ICD or set VK_DRIVER_FILES";
    return `no WebGPU adapter: the Vulkan loader found no driver (no ICD json; ${hint})`;
  }
  return `no WebGPU adapter: Vulkan driver(s) ${f.drivers.map((d) => path.basename(d)).join(', ')} gave Dawn no usable adapter (driver too old, e.g. Mesa < 23, or no GPU visible to this process)`;
}

// ---- Dawn, adapter and device --------------------------------------------------------------

let dawn: DawnModule | undefined;
let gpu: DawnGpu | undefined;
let adapter: DawnAdapter | undefined;
let report: WebgpuAdapterReport | undefined;
let device: DawnDevice | undefined;
let registered = false;

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/** Loads the `webgpu` package (dawn.node) once; a one-line reason when it cannot. */
function loadDawn(): { ok: true; dawn: DawnModule } | { ok: false; why: string } {
  if (dawn) return { ok: true, dawn };
  try {
    // `webgpu` is an ES module; Node ≥ 20.19 loads it with require(), which works in every
    // runner we use (tsx, vitest, the esbuild bundle of scripts/device) without an await.
    dawn = require('webgpu') as DawnModule;
    return { ok: true, dawn };
  } catch (e) {
    return { ok: false, why: `the webgpu package (Dawn) could not be loaded: ${firstLine(e)}` };
  }
}

function toReport(a: DawnAdapter): WebgpuAdapterReport {
  const info = a.info ?? {};
  const l = a.limits;
  const software = !!info.isFallbackAdapter || /software|llvmpipe|lavapipe|swiftshader/i.test(`${info.architecture} ${info.device} ${info.description}`);
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    software,
    limits: {
      maxBufferSize: l.maxBufferSize,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    },
    features: [...a.features].sort(),
  };
}

/** "NVIDIA H100 (nvidia/hopper, GPU; max buffer 4.0 GiB, max binding 2.0 GiB, 48 KiB workgroup)". */
export function describeAdapter(r: WebgpuAdapterReport): string {
  const size = (b: number) => (b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(1)} GiB` : b >= 1024 ** 2 ? `${Math.round(b / 1024 ** 2)} MiB` : `${Math.round(b / 1024)} KiB`);
  const name = r.description || r.device || 'unnamed adapter';
  const kind = [r.vendor, r.architecture].filter(Boolean).join('/');
  return (
    `${name} (${kind ? `${kind}, ` : ''}${r.software ? 'software/CPU' : 'GPU'}; max buffer ${size(r.limits.maxBufferSize)}, ` +
    `max binding ${size(r.limits.maxStorageBufferBindingSize)}, ${size(r.limits.maxComputeWorkgroupStorageSize)} workgroup storage)`
  );
}

/**
 * Finds an adapter without touching TensorFlow.js: what `prepareWebgpu` and the tests use to
 * decide. Never throws; `why` is one line.
 */
export async function probeWebgpu(opts: WebgpuOptions = {}): Promise<WebgpuPrepared> {
  if (report && adapter) return decided(report, { allowSoftware: opts.allowSoftware });
  // Dawn on Linux needs the Vulkan loader, and with VK_DRIVER_FILES naming only missing files
  // the loader has no driver: say so without loading 20 MB of Dawn (and its warnings).
  if (process.platform === 'linux') {
    const explicit = (process.env.VK_DRIVER_FILES || process.env.VK_ICD_FILENAMES || '').split(':').filter(Boolean);
    if (!vulkanLoaderPresent() || (explicit.length && !vulkanDrivers().length)) return { ok: false, why: explainNoAdapter() };
  }
  const loaded = loadDawn();
  if (!loaded.ok) return loaded;
  try {
    // Dawn's constants (GPUBufferUsage, GPUMapMode, GPUShaderStage, …) as the kernels expect them.
    for (const [k, v] of Object.entries(loaded.dawn.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
    gpu ??= loaded.dawn.create([]);
    const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!a) return { ok: false, why: explainNoAdapter() };
    adapter = a;
    report = toReport(a);
  } catch (e) {
    return { ok: false, why: `no WebGPU adapter: Dawn failed (${firstLine(e)})` };
  }
  return decided(report, { allowSoftware: opts.allowSoftware });
}

/**
 * Whether an adapter may be used: a software one only when allowed (forced), and under
 * automatic selection only while WEBGPU_AUTO is on. Pure, so the choice is testable without
 * a GPU.
 */
export function decideWebgpu(r: WebgpuAdapterReport, opts: WebgpuOptions = {}): { ok: true } | { ok: false; why: string } {
  if (r.software && !opts.allowSoftware) return { ok: false, why: softwareWhy(r) };
  if (opts.auto && !WEBGPU_AUTO) return { ok: false, why: `WebGPU adapter ${r.description || r.device} found but not chosen automatically (WEBGPU_AUTO is off; HONE_TF_BACKEND=webgpu forces it)` };
  return { ok: true };
}

function decided(r: WebgpuAdapterReport, opts: WebgpuOptions): WebgpuPrepared {
  const d = decideWebgpu(r, opts);
  return d.ok ? { ok: true, adapter: r } : d;
}

function softwareWhy(r: WebgpuAdapterReport): string {
  return `WebGPU adapter is a software renderer (${r.description || r.device}), slower than the CPU backends; skipped (HONE_TF_BACKEND=webgpu forces it)`;
}

/** The required limits tfjs-backend-webgpu's own factory asks for (src/base.ts), from our adapter. */
function deviceDescriptor(a: DawnAdapter) {
  const l = a.limits;
  const requiredFeatures = a.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const requiredLimits: Limits = {
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
    maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxBufferSize: l.maxBufferSize,
    maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
  };
  return { requiredFeatures, requiredLimits };
}

/** Requests the device and wires its failure signals into gpu-errors.ts. */
async function openDevice(a: DawnAdapter): Promise<DawnDevice> {
  const d = await a.requestDevice(deviceDescriptor(a));
  resetGpuEvents();
  void d.lost.then((info) => {
    if (device === d) device = undefined;
    recordGpuEvent({ kind: 'lost', reason: info.reason || 'unknown', message: (info.message || '').split('\n')[0] });
  });
  d.addEventListener('uncapturederror', (ev) => {
    const kind = ev.error.constructor.name === 'GPUOutOfMemoryError' ? 'oom' : 'validation';
    recordGpuEvent({ kind, message: ev.error.message.split('\n')[0] });
  });
  device = d;
  return d;
}

type SyncReader = {
  readSync(dataId: object): unknown;
  tensorMap: { get(dataId: object): { values?: unknown; dtype: string } | undefined };
  [patched]?: true;
};
const patched = Symbol.for('hone.webgpu.readSync');

/**
 * In Node, a synchronous read of GPU data would die on `OffscreenCanvas is not defined` deep in
 * tfjs; make it a WebgpuSyncReadError that says what to do instead. Tensors whose values are
 * still on the CPU (not yet uploaded, or already downloaded once) read synchronously as before.
 */
function patchReadSync(proto: SyncReader): void {
  if (typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas !== 'undefined' || proto[patched]) return;
  const original = proto.readSync;
  proto.readSync = function (this: SyncReader, dataId: object) {
    const d = this.tensorMap.get(dataId);
    if (!d || d.values != null || d.dtype === 'string' || d.dtype === 'complex64') return original.call(this, dataId);
    throw new WebgpuSyncReadError();
  };
  proto[patched] = true;
}

/**
 * Makes the `webgpu` backend startable: finds an adapter and registers the tfjs factory that
 * opens a device on it. The caller (backend.ts) then activates it with tf.setBackend('webgpu').
 */
export async function prepareWebgpu(opts: WebgpuOptions = {}): Promise<WebgpuPrepared> {
  const probe = await probeWebgpu(opts);
  if (!probe.ok) return probe;
  const d = decideWebgpu(probe.adapter, opts);
  if (!d.ok) return d;
  try {
    // Required while navigator.gpu is still undefined, the package registers its kernels but
    // no backend factory of its own (isWebGPUSupported() is false): we register ours below.
    const mod = require('@tensorflow/tfjs-backend-webgpu') as typeof import('@tensorflow/tfjs-backend-webgpu');
    patchReadSync(mod.WebGPUBackend.prototype as unknown as SyncReader);
    // WebGPUBackend's constructor insists on navigator.gpu; Node 20 has no navigator at all.
    const g = globalThis as { navigator?: { gpu?: unknown } };
    if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
    if (!g.navigator!.gpu) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
    if (!registered) {
      if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu'); // a navigator-based factory (Node ≥ 21 / browsers)
      tf.registerBackend(
        'webgpu',
        async () => {
          // A fresh adapter each time: an adapter that made a device is "consumed" in Dawn, and
          // the factory runs again after tf.removeBackend (e.g. to recover from a lost device).
          const a = (await gpu!.requestAdapter({ powerPreference: 'high-performance' })) ?? adapter!;
          return new mod.WebGPUBackend((await openDevice(a)) as never, a.info as never);
        },
        3,
      );
      registered = true;
    }
  } catch (e) {
    return { ok: false, why: `@tensorflow/tfjs-backend-webgpu could not be loaded: ${firstLine(e)}` };
  }
  return probe;
}

/** The adapter found by probeWebgpu/prepareWebgpu in this process, if any. */
export function webgpuAdapter(): WebgpuAdapterReport | undefined {
  return report;
}

/** The live WebGPU device (undefined before the backend started or after it was lost). */
export function webgpuDevice(): DawnDevice | undefined {
  return device;
}

/**
 * Runs `fn` inside 'out-of-memory' and 'validation' error scopes: when the GPU refused an
 * allocation or a command in it, throws GpuOutOfMemoryError / GpuValidationError (and a lost
 * device throws GpuDeviceLostError) instead of letting garbage flow on. Use around a step; on other backends it just runs `fn`.
 */
export async function withGpuMemoryScope<T>(fn: () => T | Promise<T>): Promise<T> {
  const d = device;
  if (!d || tf.getBackend() !== 'webgpu') return fn();
  d.pushErrorScope('validation');
  d.pushErrorScope('out-of-memory');
  let out: T | undefined;
  let failure: { error: unknown } | undefined;
  try {
    out = await fn();
  } catch (e) {
    failure = { error: e };
  }
  const oom = await d.popErrorScope().catch(() => null);
  const invalid = await d.popErrorScope().catch(() => null);
  if (oom) recordGpuEvent({ kind: 'oom', message: oom.message.split('\n')[0] });
  if (invalid) recordGpuEvent({ kind: 'validation', message: invalid.message.split('\n')[0] });
  if (failure) throw toGpuError(failure.error);
  assertGpuHealthy();
  return out as T;
}

/**
 * Replaces a lost or broken WebGPU device in-process: drops the tfjs backend (its buffers die
 * with the old device), forgets the recorded GPU events, asks Dawn for a fresh adapter (one that
 * made a device is consumed) and makes `webgpu` the active backend on a new device, checked
 * with a small computation read back. Tensors made on the old device are gone: callers reload
 * their weights (the jobs resume from checkpoints). Never throws; `why` is one line.
 */
export async function recoverWebgpu(opts: { allowSoftware?: boolean } = {}): Promise<WebgpuPrepared> {
  const old = device;
  try {
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  } catch {
    // disposing buffers of a lost device may fail; the backend is unregistered either way
  }
  try {
    old?.destroy();
  } catch {
    // already lost
  }
  device = undefined;
  adapter = undefined;
  report = undefined;
  registered = false;
  resetGpuEvents();
  const prepared = await prepareWebgpu({ allowSoftware: opts.allowSoftware });
  if (!prepared.ok) return prepared;
  try {
    if (!(await tf.setBackend('webgpu')) || tf.getBackend() !== 'webgpu') return { ok: false, why: `the WebGPU backend did not start again on ${describeAdapter(prepared.adapter)}` };
    const check = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
    const [v] = await check.data();
    check.dispose();
    if (v !== 3) return { ok: false, why: `the new WebGPU device computed 1 + 2 = ${v}` };
    assertGpuHealthy();
  } catch (e) {
    return { ok: false, why: `the new WebGPU device failed its first computation: ${firstLine(toGpuError(e))}` };
  }
  return prepared;
}
