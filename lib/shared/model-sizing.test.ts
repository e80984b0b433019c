// Sizing by the model: small presets keep today's defaults, a 124M model gets defaults that fit a
// 16 GiB machine, a plan that cannot fit says so, and the estimates grow with the work.
import { describe, expect, it } from 'vitest';
import { PRESET_SHAPES, shapeOfKey } from './model-shape';
import { STAGE_CONFIG_SCHEMAS, stageDefaults, type StageConfigs } from './stage-config';
import { estimatePlan, explainNoFit, planOnWorkers, sizedStageDefaults, withSizedDefaults, SIZED_STAGES, type CapacityOf, type WorkerCapacity } from './model-sizing';

const GiB = 1024 ** 3;
const cap = (memoryBytes: number | null, gflops = 50): WorkerCapacity => ({ gflops, opMs: 0.05, memoryBytes, measuredAt: '2026-12-01T00:00:00Z' });
const resolve = (shape: Parameters<typeof withSizedDefaults>[0], explicit: Record<string, unknown> = {}): StageConfigs => {
  const merged = withSizedDefaults(shape, explicit);
  const out = { ...stageDefaults() } as Record<string, unknown>;
  for (const k of Object.keys(STAGE_CONFIG_SCHEMAS) as (keyof typeof STAGE_CONFIG_SCHEMAS)[]) out[k] = STAGE_CONFIG_SCHEMAS[k].parse(merged[k] ?? {});
  return out as StageConfigs;
};

describe('sizedStageDefaults', () => {
  it('leaves nano and small on the schema defaults', () => {
    for (const p of ['nano', 'small'] as const) {
      expect(sizedStageDefaults(PRESET_SHAPES[p])).toEqual({ pretrain: {}, sft: {}, rm: {}, ppo: {}, dpo: {} });
      expect(resolve(PRESET_SHAPES[p])).toEqual(stageDefaults());
    }
  });

  it('sizes GPT-2 124M: rows of 256, small micro-batches, fine-tuning learning rates', () => {
    const d = sizedStageDefaults(PRESET_SHAPES.gpt2);
    expect(d.sft).toMatchObject({ maxLength: 256, lr: 1e-5 });
    expect(d.rm).toMatchObject({ maxLength: 256, lr: 1e-5 });
    expect(d.sft.microBatchSize).toBeLessThan(stageDefaults().sft.microBatchSize);
    expect(d.ppo.lr).toBe(1e-6);
    expect(d.ppo.maxPromptTokens! + d.ppo.maxNewTokens!).toBeLessThanOrEqual(256);
    // DPO's K completions go through the language-model head: one ranking's 4 × 256 × 50,257 logits already pass the 1 GiB budget.
    expect(d.dpo).toMatchObject({ batchSize: 8, microBatchSize: 1, maxLength: 256, lr: 5e-6 });
  });

  it('fits GPT-2 124M defaults, every stage, in 16 GiB', () => {
    const plan = estimatePlan(PRESET_SHAPES.gpt2, resolve(PRESET_SHAPES.gpt2), SIZED_STAGES, cap(16 * GiB));
    for (const e of plan) expect(e, e.stage).toMatchObject({ fits: true });
    // The PPO stage holds four models; it still leaves room.
    expect(plan.find((e) => e.stage === 'ppo')!.memory.total).toBeLessThan(14 * GiB);
  });

  it('lets explicit settings win over the sized ones and leaves bad input for the schema', () => {
    const m = withSizedDefaults(PRESET_SHAPES.gpt2, { sft: { maxLength: 512 }, rm: 'oops' });
    expect(m.sft).toMatchObject({ maxLength: 512, lr: 1e-5 });
    expect(m.rm).toBe('oops');
    expect(withSizedDefaults(PRESET_SHAPES.nano, { sft: { steps: 3 } })).toEqual({ sft: { steps: 3 } });
  });
});

describe('estimatePlan', () => {
  it('refuses batch 4096 × maxLength 1024 on GPT-2 in 4 GiB, naming the estimate, the limit and what to lower', () => {
    const settings = resolve(PRESET_SHAPES.gpt2, { sft: { batchSize: 4096, microBatchSize: 1024, maxLength: 1024 } });
    const [sft] = estimatePlan(PRESET_SHAPES.gpt2, settings, ['sft'], cap(4 * GiB));
    expect(sft.fits).toBe(false);
    expect(sft.memory.total).toBeGreaterThan(4 * GiB);
    const why = explainNoFit(sft, { id: 'w', hostname: 'box', backend: 'wasm', capacity: cap(4 * GiB) });
    expect(why).toMatch(/^sft needs about [\d.]+ (GiB|TiB) at its peak .* over the 4\.0 GiB of the largest train worker \(wasm on box\): lower sft\.microBatchSize or sft\.maxLength\.$/);
  });

  it('grows with steps and batch, and memory with the micro-batch', () => {
    const shape = shapeOfKey('gpt2-family-L3-C96-H4-T128')!;
    const at = (sft: Record<string, unknown>) => estimatePlan(shape, resolve(shape, { sft }), ['sft'], cap(8 * GiB))[0];
    const base = at({ steps: 10, batchSize: 8, microBatchSize: 2 });
    expect(at({ steps: 20, batchSize: 8, microBatchSize: 2 }).seconds!).toBeCloseTo(2 * base.seconds!, 5);
    expect(at({ steps: 10, batchSize: 16, microBatchSize: 2 }).tokens).toBe(2 * base.tokens);
    expect(at({ steps: 10, batchSize: 16, microBatchSize: 2 }).flops).toBe(2 * base.flops);
    expect(at({ steps: 10, batchSize: 8, microBatchSize: 8 }).memory.total).toBeGreaterThan(base.memory.total);
    expect(at({ steps: 10, batchSize: 8, microBatchSize: 8 }).tokens).toBe(base.tokens);
    // PPO's rollout batch grows its sampling memory; its steps its time.
    const ppo = (p: Record<string, unknown>) => estimatePlan(PRESET_SHAPES.gpt2, resolve(PRESET_SHAPES.gpt2, { ppo: p }), ['ppo'], cap(64 * GiB))[0];
    expect(ppo({ batchSize: 64 }).memory.total).toBeGreaterThan(ppo({ batchSize: 8 }).memory.total);
    expect(ppo({ steps: 20 }).seconds!).toBeGreaterThan(ppo({ steps: 10 }).seconds!);
  });

  it('sizes DPO by the ranking: K completions through the language-model head, growing with K and the micro-batch', () => {
    const dpo = (d: Record<string, unknown>, k = 4) => estimatePlan(PRESET_SHAPES.gpt2, resolve(PRESET_SHAPES.gpt2, { dpo: d }), ['dpo'], cap(16 * GiB), { rankingK: k })[0];
    const base = dpo({ steps: 10, batchSize: 8, microBatchSize: 1 });
    expect(base.tokens).toBe(10 * 8 * 4 * 256);
    expect(base.memory.activationsOf).toBe('1 ranking × 4 completions × 256 tokens');
    expect(dpo({ steps: 10, batchSize: 8, microBatchSize: 1 }, 8).memory.total).toBeGreaterThan(base.memory.total);
    expect(dpo({ steps: 10, batchSize: 8, microBatchSize: 4 }).memory.total).toBeGreaterThan(base.memory.total);
    const big = dpo({ batchSize: 64, microBatchSize: 64, maxLength: 1024 });
    expect(big.fits).toBe(false);
    expect(big.lower).toEqual(['dpo.microBatchSize', 'dpo.maxLength']);
  });

  it('without a capacity has no time and no verdict; on workers the biggest decides, an unknown limit never blocks', () => {
    const settings = resolve(PRESET_SHAPES.gpt2, { sft: { microBatchSize: 64, maxLength: 1024 } });
    expect(estimatePlan(PRESET_SHAPES.gpt2, settings, ['sft'], null)[0]).toMatchObject({ seconds: null, fits: null });
    const w = (id: string, c: WorkerCapacity): CapacityOf => ({ id, hostname: id, backend: 'tensorflow', capacity: c });
    expect(planOnWorkers(PRESET_SHAPES.gpt2, settings, ['sft'], [w('a', cap(4 * GiB)), w('b', cap(8 * GiB))]).blocked.map((e) => e.stage)).toEqual(['sft']);
    expect(planOnWorkers(PRESET_SHAPES.gpt2, settings, ['sft'], [w('a', cap(4 * GiB)), w('b', cap(null))]).blocked).toEqual([]);
    expect(planOnWorkers(PRESET_SHAPES.gpt2, settings, ['sft'], [w('a', cap(4 * GiB)), w('c', cap(512 * GiB))])).toMatchObject({ worker: { id: 'c' }, blocked: [] });
    expect(planOnWorkers(PRESET_SHAPES.gpt2, settings, ['sft'], []).worker).toBeNull();
  });
});
