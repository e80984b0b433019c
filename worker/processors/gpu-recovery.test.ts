// The processors' GPU recovery on a real adapter (a GPU, or lavapipe with
// HONE_TEST_WEBGPU_SOFTWARE=1; skipped with the reason otherwise): two jobs run on one device
// when it is lost; the first job's recovery recreates it and reports the backend, the second
// job sees its backend was replaced and uses the new device instead of replacing it again.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backendGeneration, initBackend } from '../../lib/ml/backend';
import { describeAdapter, probeWebgpu, webgpuDevice } from '../../lib/ml/backend-webgpu';
import { gpuFailure } from '../../lib/ml/gpu-errors';
import { createLogger } from '../../lib/log';
import { gpuHandling } from './gpu-recovery';
import type { ProcessorContext } from './types';

const probe = await probeWebgpu({ allowSoftware: process.env.HONE_TEST_WEBGPU_SOFTWARE === '1' });
if (!probe.ok) console.log(`[gpu-recovery.test] skipped: ${probe.why}`);
else console.log(`[gpu-recovery.test] adapter: ${describeAdapter(probe.adapter)}`);

describe.skipIf(!probe.ok)('gpuHandling on a lost WebGPU device', () => {
  it('recovers once for two jobs, and reports the backend in use', async () => {
    await initBackend({ backend: 'webgpu' });
    const reported: string[] = [];
    const ctx: ProcessorContext = { workerId: 'test', log: createLogger({ service: 'test' }, 'error'), backend: () => null, setBackend: (n) => void reported.push(n) };
    const a = gpuHandling(ctx);
    const b = gpuHandling(ctx);
    const generation = backendGeneration();
    webgpuDevice()!.destroy();
    for (let i = 0; i < 100 && !gpuFailure(); i++) await new Promise((r) => setTimeout(r, 10));

    expect(await a.recover('The GPU device was lost (destroyed)')).toBe('webgpu (WebGPU through Dawn)');
    const device = webgpuDevice();
    expect(backendGeneration()).toBe(generation + 1);
    expect(a.backendChanged()).toBe(true);
    expect(b.backendChanged()).toBe(true);
    expect(await b.recover('The GPU device was lost (destroyed)')).toBe('webgpu (WebGPU through Dawn)');
    expect(backendGeneration()).toBe(generation + 1);
    expect(webgpuDevice()).toBe(device);
    expect(reported).toEqual(['webgpu', 'webgpu']);
    const x = tf.tensor1d([1, 2, 3]);
    expect(Array.from(await tf.sum(x).data())).toEqual([6]);
  }, 20_000);
});
