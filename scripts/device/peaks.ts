// Dense fp32 peaks (CUDA cores, boost clock, no tensor cores) of the GPUs a device machine may
// lend, from NVIDIA's datasheets, in TFLOP/s. WebGPU computes in fp32 without tensor cores, so
// this, not the bf16 tensor-core figure, is the ceiling gpu-bench's TFLOP/s are measured against.
// Order matters: the first pattern that matches a name wins (H100 PCIe before H100).

export type Fp32Peak = {
  /** The entry of the table that matched, e.g. "H100 SXM"; null when none did. */
  gpu: string | null;
  tflops: number | null;
  /** The name it was looked up by (adapter or nvidia-smi name); every name tried when none matched. */
  from: string;
};

export const FP32_PEAKS: readonly { pattern: RegExp; gpu: string; tflops: number }[] = [
  { pattern: /\bGH200\b/i, gpu: 'GH200', tflops: 67 },
  { pattern: /\bH200\b.*\bNVL\b/i, gpu: 'H200 NVL', tflops: 60 },
  { pattern: /\bH200\b/i, gpu: 'H200 SXM', tflops: 67 },
  { pattern: /\bH100\b.*\bPCIe\b/i, gpu: 'H100 PCIe', tflops: 51 },
  { pattern: /\bH100\b.*\bNVL\b/i, gpu: 'H100 NVL', tflops: 60 },
  { pattern: /\bH100\b/i, gpu: 'H100 SXM', tflops: 67 },
  { pattern: /\bA100\b/i, gpu: 'A100', tflops: 19.5 },
  { pattern: /\bL40S\b/i, gpu: 'L40S', tflops: 91.6 },
  { pattern: /\bL40\b/i, gpu: 'L40', tflops: 90.5 },
  { pattern: /\bL4\b/i, gpu: 'L4', tflops: 30.3 },
  { pattern: /\bA10G\b/i, gpu: 'A10G', tflops: 31.2 },
  { pattern: /\bA10\b/i, gpu: 'A10', tflops: 31.2 },
  { pattern: /\bT4\b/i, gpu: 'T4', tflops: 8.1 },
  { pattern: /\bV100\b/i, gpu: 'V100', tflops: 15.7 },
  { pattern: /\bRTX 6000 Ada\b/i, gpu: 'RTX 6000 Ada', tflops: 91.1 },
  { pattern: /\bRTX A6000\b/i, gpu: 'RTX A6000', tflops: 38.7 },
  { pattern: /\bRTX 4090\b/i, gpu: 'RTX 4090', tflops: 82.6 },
  { pattern: /\bRTX 3090\b/i, gpu: 'RTX 3090', tflops: 35.6 },
];

/**
 * The fp32 peak of the first of `names` the table knows (the adapter's device and description,
 * then nvidia-smi's name). Unknown cards (and software adapters) give tflops null with the names.
 */
export function fp32Peak(names: readonly (string | null | undefined)[]): Fp32Peak {
  const tried = names.map((n) => n?.trim() ?? '').filter(Boolean);
  for (const name of tried) {
    const hit = FP32_PEAKS.find((p) => p.pattern.test(name));
    if (hit) return { gpu: hit.gpu, tflops: hit.tflops, from: name };
  }
  return { gpu: null, tflops: null, from: tried.join(' / ') || 'no name' };
}
