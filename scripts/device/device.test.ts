// The device benchmark's pure parts: its command line, the fp32 peak table and summary.json.
// (The benchmark itself is run by scripts/device/run-bench.sh; see docs/gpu.md.)
import { describe, expect, it } from 'vitest';
import { PARTS, parseArgs } from './args';
import { fp32Peak } from './peaks';
import { headline, runResult, summarize } from './summary';

describe('gpu-bench arguments', () => {
  it('defaults to every part of the small preset with the batch chosen by backend', () => {
    expect(parseArgs([])).toEqual({ preset: 'small', batch: 0, steps: 3, newTokens: 0, matmul: 2048, parts: [...PARTS], budget: 0, probe: false });
  });

  it('reads every option', () => {
    const a = parseArgs(['--preset', 'large', '--backend', 'webgpu', '--batch', '2', '--steps', '1', '--new-tokens', '4', '--matmul', '0', '--parts', 'ppo,sft', '--budget', '90', '--gpu-name', 'NVIDIA H200', '--probe']);
    expect(a).toEqual({ preset: 'large', backend: 'webgpu', batch: 2, steps: 1, newTokens: 4, matmul: 0, parts: ['sft', 'ppo'], budget: 90, gpuName: 'NVIDIA H200', probe: true });
  });

  it.each([
    [['--preset', 'gpt3'], /--preset must be small or large, got "gpt3"/],
    [['--steps', '0'], /--steps must be an integer ≥ 1, got "0"/],
    [['--batch', '-1'], /--batch must be an integer ≥ 0/],
    [['--batch', '2.5'], /--batch must be an integer ≥ 0, got "2.5"/],
    [['--budget'], /--budget needs a value/],
    [['--steps', '--probe'], /--steps needs a value/],
    [['--parts', 'sft,foo'], /--parts takes a comma list of sft, rm, ppo, sample, matmul; got "sft,foo"/],
    [['--fast'], /unknown argument "--fast"/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('fp32 peaks', () => {
  it.each([
    ['NVIDIA H200', 'H200 SXM', 67],
    ['NVIDIA H200 NVL', 'H200 NVL', 60],
    ['NVIDIA H100 80GB HBM3', 'H100 SXM', 67],
    ['NVIDIA H100 PCIe', 'H100 PCIe', 51],
    ['NVIDIA A100-SXM4-80GB', 'A100', 19.5],
    ['NVIDIA L4', 'L4', 30.3],
    ['NVIDIA L40S', 'L40S', 91.6],
    ['NVIDIA GH200 480GB', 'GH200', 67],
    // Dawn's adapter `device` is a slug of the name.
    ['nvidia-h100-80gb-hbm3', 'H100 SXM', 67],
    ['nvidia-h100-pcie', 'H100 PCIe', 51],
    ['nvidia-l40s', 'L40S', 91.6],
  ])('%s → %s, %d TFLOP/s', (name, gpu, tflops) => {
    expect(fp32Peak([name])).toEqual({ gpu, tflops, from: name });
  });

  it('tries the names in order and skips empty ones', () => {
    expect(fp32Peak(['', undefined, 'NVIDIA: 580.159.4.0', 'NVIDIA H100 PCIe'])).toEqual({ gpu: 'H100 PCIe', tflops: 51, from: 'NVIDIA H100 PCIe' });
  });

  it('gives null with the names for an unknown card or a software adapter', () => {
    expect(fp32Peak(['llvmpipe (LLVM 15.0.6, 256 bits)', 'Mesa 25.0.7'])).toEqual({ gpu: null, tflops: null, from: 'llvmpipe (LLVM 15.0.6, 256 bits) / Mesa 25.0.7' });
    expect(fp32Peak([null])).toEqual({ gpu: null, tflops: null, from: 'no name' });
  });
});

const bench = (backend: string, sft: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ bench: 'gpu-bench', backend, reason: `forced (${backend})`, parts: { sft: { tokens_per_s: sft, tflops: 1.5, peak_fraction: backend === 'webgpu' ? 0.02 : null }, rm: { tokens_per_s: sft / 2 }, sample_b1: { tokens_per_s: 100 } }, skipped: {}, errors: {}, ...extra });

describe('summary.json', () => {
  it('takes the last JSON line, else the last partial line, else the last line as the error', () => {
    expect(runResult(`backend: webgpu\n{"a":1}\nsft: …\n{"a":2}\n`, 0)).toEqual({ status: 0, a: 2 });
    expect(runResult(`partial {"a":1}\npartial {"a":2}\nsft: …`, 124)).toEqual({ status: 124, note: 'stopped at its time limit (exit 124)', a: 2, partial: true });
    expect(runResult('backend: x\nError: no WebGPU adapter: Couldn\'t load Vulkan\n', 1)).toEqual({ status: 1, error: "Error: no WebGPU adapter: Couldn't load Vulkan" });
    expect(runResult('', undefined)).toEqual({ status: null, error: 'no output' });
    expect(runResult('preset large: 85.5M parameters\n', 124)).toEqual({ status: 124, error: 'stopped at its time limit (exit 124) before any part finished; its last line: preset large: 85.5M parameters' });
    expect(runResult('{not json\n', 1)).toEqual({ status: 1, error: '{not json' });
  });

  it('divides the small WebGPU figures by the CPU ones and reports the aims', () => {
    const adapter = { description: 'NVIDIA H200', device: 'NVIDIA H200', software: false };
    const gpu = { gpu: 'H200 SXM', tflops: 67, from: 'NVIDIA H200' };
    const s = summarize(
      {
        probe: JSON.stringify({ backend: 'webgpu', adapter, gpu }),
        'gpu-small': bench('webgpu', 20000, { gpu }),
        'gpu-large': bench('webgpu', 4000),
        'cpu-small': bench('wasm', 1000),
      },
      { probe: 0, 'gpu-small': 0, 'gpu-large': 0, 'cpu-small': 0 },
    );
    expect(s).toMatchObject({
      webgpu: 'available',
      adapter: 'NVIDIA H200',
      software_adapter: false,
      gpu,
      cpu_backend: 'forced (wasm)',
      small_gpu_vs_cpu: { sft: 20, rm: 20, sample_b1: 1, ppo_update: null, ppo_rollout: null, sample_batch: null },
      aims: {
        small_sft_vs_cpu: { value: 20, aim: 10, met: true },
        gpt2_shape_sft_tokens_per_s: { value: 4000, aim: 5000, met: false },
      },
    });
    const line = headline(s) as { runs: Record<string, unknown> };
    expect(line.runs['gpu-small']).toEqual({ status: 0, tokens_per_s: { sft: 20000, rm: 10000, sample_b1: 100 }, tflops: { sft: 1.5 }, peak_fraction: { sft: 0.02 } });
    expect(line.runs['cpu-small']).not.toHaveProperty('peak_fraction');
    expect(JSON.stringify(line)).not.toContain('\n');
  });

  it('without an adapter keeps the reason, the CPU figures and no ratios', () => {
    const s = summarize(
      { probe: 'backend: …\n{"bench":"gpu-bench","error":"Error: no WebGPU adapter: the Vulkan loader found no driver"}', 'cpu-small': bench('wasm', 1000) },
      { probe: 1, 'cpu-small': 0 },
    );
    expect(s).toMatchObject({
      webgpu: 'unavailable: Error: no WebGPU adapter: the Vulkan loader found no driver',
      adapter: null,
      gpu: null,
      small_gpu_vs_cpu: { sft: null },
      aims: { small_sft_vs_cpu: { value: null, met: null }, gpt2_shape_sft_tokens_per_s: { value: null, met: null } },
    });
    expect((s.runs as Record<string, { parts: unknown }>)['cpu-small'].parts).toMatchObject({ sft: { tokens_per_s: 1000 } });
  });
});
