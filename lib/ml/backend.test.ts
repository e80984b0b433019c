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
