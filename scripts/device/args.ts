// gpu-bench's command line (scripts/device/gpu-bench.ts), parsed and checked apart from the
// benchmark so a typo fails in milliseconds with the list of options, not after minutes of work.
import { PRESETS, type GPTConfig } from '../../lib/ml/model/config';

/**
 * `small` is the preset the CPU benchmark measures (4 layers, d 256, context 128); `large` is
 * GPT-2-small's shape (12 layers, d 768, 12 heads) at context 256 on the byte vocabulary.
 */
export const BENCH_PRESETS: Record<'small' | 'large', GPTConfig> = {
  small: PRESETS.small,
  large: { ...PRESETS.small, nPositions: 256, nEmbd: 768, nLayer: 12, nHead: 12 },
};
export type BenchPreset = keyof typeof BENCH_PRESETS;

export const PARTS = ['sft', 'rm', 'ppo', 'sample', 'matmul'] as const;
export type Part = (typeof PARTS)[number];

export type BenchArgs = {
  preset: BenchPreset;
  backend?: string;
  /** Rows per SFT step; RM takes batch/4 rankings of 4, PPO batch/2 rollouts. 0: by backend. */
  batch: number;
  /** Timed steps per training figure, after one untimed warm-up step. */
  steps: number;
  /** Tokens sampled per row (sampling and the PPO rollout). 0: by backend. */
  newTokens: number;
  /** Side of the square matmul timed last; 0 skips it. */
  matmul: number;
  parts: Part[];
  /** Seconds after which no further part starts (and timed loops stop early); 0: none. */
  budget: number;
  /** The GPU's name from nvidia-smi, for the peak table when the adapter's name does not match. */
  gpuName?: string;
  probe: boolean;
};

export const USAGE =
  'gpu-bench [--preset small|large] [--backend NAME] [--batch N] [--steps N] [--new-tokens N] [--matmul N] ' +
  '[--parts sft,rm,ppo,sample,matmul] [--budget SECONDS] [--gpu-name NAME] [--probe]';

export function parseArgs(argv: readonly string[]): BenchArgs {
  const a: BenchArgs = { preset: 'small', batch: 0, steps: 3, newTokens: 0, matmul: 2048, parts: [...PARTS], budget: 0, probe: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value (${USAGE})`);
    return v;
  };
  const count = (i: number, flag: string, min: number): number => {
    const v = value(i, flag);
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min) throw new Error(`${flag} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--probe') {
      a.probe = true;
      continue;
    }
    if (k === '--preset') {
      const v = value(i, k);
      if (v !== 'small' && v !== 'large') throw new Error(`--preset must be small or large, got ${JSON.stringify(v)}`);
      a.preset = v;
    } else if (k === '--backend') a.backend = value(i, k);
    else if (k === '--batch') a.batch = count(i, k, 0);
    else if (k === '--steps') a.steps = count(i, k, 1);
    else if (k === '--new-tokens') a.newTokens = count(i, k, 0);
    else if (k === '--matmul') a.matmul = count(i, k, 0);
    else if (k === '--budget') a.budget = count(i, k, 0);
    else if (k === '--gpu-name') a.gpuName = value(i, k);
    else if (k === '--parts') {
      const names = value(i, k).split(',').map((s) => s.trim()).filter(Boolean);
      const bad = names.filter((n) => !(PARTS as readonly string[]).includes(n));
      if (bad.length || !names.length) throw new Error(`--parts takes a comma list of ${PARTS.join(', ')}; got ${JSON.stringify(value(i, k))}`);
      a.parts = PARTS.filter((p) => names.includes(p));
    } else throw new Error(`unknown argument ${JSON.stringify(k)} (${USAGE})`);
    i++;
  }
  return a;
}

/** The batch when --batch is 0: enough rows to fill a GPU; bench:train's 8 on a CPU. */
export function defaultBatch(preset: BenchPreset, gpu: boolean): number {
  return gpu ? (preset === 'large' ? 16 : 32) : 8;
}

/** Sampled tokens per row when --new-tokens is 0. */
export function defaultNewTokens(gpu: boolean): number {
  return gpu ? 64 : 16;
}
