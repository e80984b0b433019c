import { describe, expect, it } from 'vitest';
import { BACKEND_NAMES, BackendName, GPU_BACKENDS, WasmThreadsSetting, isGpuBackend } from './backends';

describe('backend names', () => {
  it('name which backends are GPUs, and refuse an unknown name with the known ones', () => {
    expect(GPU_BACKENDS.every((g) => BACKEND_NAMES.includes(g))).toBe(true);
    expect(isGpuBackend('webgpu')).toBe(true);
    expect(isGpuBackend('tensorflow-gpu')).toBe(true);
    expect(isGpuBackend('tensorflow')).toBe(false);
    expect(isGpuBackend(null)).toBe(false);
    expect(BackendName.safeParse('tpu').error?.issues[0].message).toBe('Unknown TensorFlow.js backend "tpu"; use one of tensorflow-gpu, tensorflow, webgpu, wasm, cpu');
  });

  it('read HONE_WASM_THREADS as off, one per core or a count, and refuse anything else', () => {
    for (const off of [undefined, '', '0', 'false', 'FALSE']) expect(WasmThreadsSetting.parse(off)).toBeUndefined();
    expect(WasmThreadsSetting.parse('true')).toBe(true);
    expect(WasmThreadsSetting.parse('4')).toBe(4);
    expect(WasmThreadsSetting.safeParse('-2').error?.issues[0].message).toMatch(/must be true, false or a thread count, not "-2"/);
  });
});
