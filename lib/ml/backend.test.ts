import { describe, test, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, backendInfo, assertWasmHeapFits, AUTO_ORDER, autoReason, pickInOrder, recoverBackend, type Attempt } from './backend';
import { WEBGPU_AUTO, decideWebgpu, explainNoAdapter, type WebgpuAdapterReport } from './backend-webgpu';
import type { BackendName } from '../shared/backends';

const limits = {
  maxBufferSize: 4 * 1024 ** 3,
  maxStorageBufferBindingSize: 2 * 1024 ** 3,
  maxComputeWorkgroupStorageSize: 48 * 1024,
  maxComputeInvocationsPerWorkgroup: 1024,
  maxComputeWorkgroupsPerDimension: 65535,
};
const h100: WebgpuAdapterReport = { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100 80GB HBM3', software: false, limits, features: [] };
const lavapipe: WebgpuAdapterReport = { vendor: 'mesa', architecture: '', device: 'llvmpipe', description: 'llvmpipe (LLVM 15.0.6, 256 bits)', software: true, limits, features: [] };

/** The automatic choice on a machine described by what each starter would answer. */
async function autoOn(answers: Partial<Record<BackendName, Attempt>>) {
  const tried: BackendName[] = [];
  const picked = await pickInOrder(AUTO_ORDER, async (name) => {
    tried.push(name);
    return answers[name] ?? { ok: false, why: `${name} absent` };
  });
  return { tried, picked, reason: picked.name ? autoReason(picked.name, picked.skipped) : null };
}

describe('backend selection', () => {
  test('forced backends start and are reported', async () => {
    expect(await initBackend({ backend: 'cpu' })).toMatchObject({ name: 'cpu', tfBackend: 'cpu' });
    const wasm = await initBackend({ backend: 'wasm' });
    expect(wasm).toMatchObject({ name: 'wasm', tfBackend: 'wasm', threads: 1 });
    expect(backendInfo().name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  test('a forced backend that cannot start fails clearly; unknown names too', async () => {
    await expect(initBackend({ backend: 'tensorflow-gpu' })).rejects.toThrow(/"tensorflow-gpu" was forced but is unavailable/);
    await expect(initBackend({ backend: 'tpu' })).rejects.toThrow(/Unknown TensorFlow.js backend "tpu"/);
  });

  test('the heap guard names the 4 GiB limit and the fix', async () => {
    await initBackend({ backend: 'wasm' });
    expect(() => assertWasmHeapFits(5 * 1024 ** 3, 'an SFT step')).toThrow(/an SFT step needs about 5\.00 GiB.*Lower the micro-batch size/);
    expect(() => assertWasmHeapFits(1024)).not.toThrow();
  });
});

describe('automatic order and the WebGPU decision (no GPU needed)', () => {
  test('WebGPU comes after tfjs-node-gpu and before the CPU backends, and is on', () => {
    expect(AUTO_ORDER).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
    expect(WEBGPU_AUTO).toBe(true);
  });

  test('a hardware adapter is chosen automatically; tfjs-node-gpu, when it finds a GPU, first', async () => {
    expect(decideWebgpu(h100, { auto: true })).toEqual({ ok: true });
    const gpu = await autoOn({ webgpu: decideWebgpu(h100, { auto: true }) as Attempt, wasm: { ok: true, threads: 1 } });
    expect(gpu.picked.name).toBe('webgpu');
    expect(gpu.tried).toEqual(['tensorflow-gpu', 'webgpu']);
    expect(gpu.reason).toBe('auto: tensorflow-gpu absent');
    const cuda = await autoOn({ 'tensorflow-gpu': { ok: true }, webgpu: { ok: true } });
    expect(cuda.picked.name).toBe('tensorflow-gpu');
    expect(cuda.reason).toBe('auto: tensorflow-gpu available');
  });

  test('a software adapter (lavapipe) is skipped automatically with its reason; forced, it is accepted', async () => {
    const d = decideWebgpu(lavapipe, { auto: true });
    expect(d).toEqual({ ok: false, why: expect.stringMatching(/^WebGPU adapter is a software renderer \(llvmpipe \(LLVM 15\.0\.6, 256 bits\)\), slower than the CPU backends; skipped/) });
    const r = await autoOn({ webgpu: d as Attempt, wasm: { ok: true, threads: 1 } });
    expect(r.picked).toMatchObject({ name: 'wasm', threads: 1 });
    expect(r.tried).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm']);
    expect(r.reason).toMatch(/^auto: tensorflow-gpu absent; WebGPU adapter is a software renderer .*; tensorflow absent$/);
    expect(decideWebgpu(lavapipe, { allowSoftware: true })).toEqual({ ok: true });
  });

  test('no adapter: the one-line reason is in the chosen backend\'s reason; nothing starts: every reason', async () => {
    const why = explainNoAdapter({ platform: 'linux', arch: 'x64', loader: true, drivers: [], nvidiaIcd: false, missingExplicit: ['/nonexistent.json'] });
    expect(why).toBe('no WebGPU adapter: VK_DRIVER_FILES names /nonexistent.json, which does not exist, so the Vulkan loader has no driver');
    const r = await autoOn({ webgpu: { ok: false, why }, cpu: { ok: true } });
    expect(r.picked.name).toBe('cpu');
    expect(r.reason).toContain(`; ${why}; `);
    const none = await autoOn({});
    expect(none.picked.name).toBeNull();
    expect(none.picked.skipped).toHaveLength(AUTO_ORDER.length);
  });

  test('recoverBackend off WebGPU has no device to recreate: the live backend stays', async () => {
    const live = await initBackend({ backend: 'wasm' });
    expect(await recoverBackend('a test')).toBe(live);
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('backend settings come as arguments', () => {
  test('the environment is not read: HONE_TF_BACKEND reaches the backend only through its caller', async () => {
    const before = process.env.HONE_TF_BACKEND;
    process.env.HONE_TF_BACKEND = 'tpu';
    try {
      await expect(initBackend({})).resolves.toMatchObject({ name: backendInfo().name });
    } finally {
      if (before === undefined) delete process.env.HONE_TF_BACKEND;
      else process.env.HONE_TF_BACKEND = before;
    }
  });

  test('a wasm thread setting that is not true, false or a count fails clearly', async () => {
    await expect(initBackend({ backend: 'wasm', wasmThreads: 'many' })).rejects.toThrow(/HONE_WASM_THREADS must be true, false or a thread count, not "many"/);
  });
});
