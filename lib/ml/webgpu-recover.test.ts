// Recovering from a lost WebGPU device in-process (recoverBackend): on a real adapter — a GPU,
// or Mesa's software Vulkan (lavapipe) when HONE_TEST_WEBGPU_SOFTWARE=1, as in webgpu.test.ts —
// the device is destroyed mid-run, the backend is recovered, and a tensor op computes again,
// on a new WebGPU device; then, with the Vulkan driver taken away, on the CPU fallback, with
// the reported backend saying which. Skipped, with the reason, without an adapter.
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backendGeneration, backendInfo, initBackend, recoverBackend } from './backend';
import { describeAdapter, probeWebgpu, webgpuAdapter, webgpuDevice } from './backend-webgpu';
import { GpuDeviceLostError, gpuFailure, toGpuError } from './gpu-errors';

const probe = await probeWebgpu({ allowSoftware: process.env.HONE_TEST_WEBGPU_SOFTWARE === '1' });
if (probe.ok) console.log(`[webgpu-recover.test] adapter: ${describeAdapter(probe.adapter)}`);
else console.log(`[webgpu-recover.test] skipped: ${probe.why}`);

/** A 2×2 product read back asynchronously (the only read WebGPU allows in Node). */
async function product(): Promise<number[]> {
  const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const out = tf.matMul(a, a);
  const v = Array.from(await out.data());
  tf.dispose([a, out]);
  return v;
}

/** Destroys the live device and waits until its loss is recorded. */
async function loseDevice(): Promise<void> {
  const d = webgpuDevice();
  expect(d).toBeDefined();
  d!.destroy();
  for (let i = 0; i < 100 && !gpuFailure(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(gpuFailure()).toBeInstanceOf(GpuDeviceLostError);
}

describe.skipIf(!probe.ok)('recoverBackend after a lost WebGPU device', () => {
  const savedDrivers = process.env.VK_DRIVER_FILES;
  afterAll(() => {
    if (savedDrivers === undefined) delete process.env.VK_DRIVER_FILES;
    else process.env.VK_DRIVER_FILES = savedDrivers;
  });

  it('recreates the device: the same op computes again on a new one', async () => {
    expect(await initBackend({ backend: 'webgpu' })).toMatchObject({ name: 'webgpu', tfBackend: 'webgpu' });
    expect(await product()).toEqual([7, 10, 15, 22]);
    const old = webgpuDevice();
    const generation = backendGeneration();
    await loseDevice();
    // What a job would have caught: a read on the lost device.
    const caught = await product().then(
      () => null,
      (e: unknown) => e,
    );
    expect(toGpuError(caught ?? gpuFailure())).toBeInstanceOf(GpuDeviceLostError);

    const info = await recoverBackend('test: device destroyed');
    expect(info).toMatchObject({ name: 'webgpu', tfBackend: 'webgpu' });
    expect(info.reason).toMatch(/^forced \(webgpu\); WebGPU device recreated after: test: device destroyed$/);
    expect(backendInfo()).toEqual(info);
    expect(backendGeneration()).toBe(generation + 1);
    expect(webgpuDevice()).toBeDefined();
    expect(webgpuDevice()).not.toBe(old);
    expect(gpuFailure()).toBeNull();
    expect(await product()).toEqual([7, 10, 15, 22]);
  }, 20_000);

  it('falls back to a CPU backend when no device can be made, and reports it', async () => {
    await loseDevice();
    // The Vulkan loader now finds no driver, so recreating WebGPU fails.
    process.env.VK_DRIVER_FILES = '/nonexistent.json';
    const info = await recoverBackend('test: device destroyed again');
    expect(['tensorflow', 'wasm', 'cpu']).toContain(info.name);
    expect(info.tfBackend).toBe(tf.getBackend());
    expect(info.reason).toMatch(/^fell back to \w+ after: test: device destroyed again; recreating the WebGPU device failed: no WebGPU adapter: VK_DRIVER_FILES names \/nonexistent\.json/);
    expect(backendInfo()).toEqual(info);
    expect(webgpuAdapter()).toBeUndefined();
    expect(await product()).toEqual([7, 10, 15, 22]);
    // A forced webgpu stays on the fallback instead of failing the next job's initBackend.
    expect(await initBackend({ backend: 'webgpu' })).toBe(info);
  }, 20_000);
});
