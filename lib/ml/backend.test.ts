import { describe, test, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, backendInfo, assertWasmHeapFits } from './backend';

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
