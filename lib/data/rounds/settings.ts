// A round's settings: per stage, the schema of lib/shared/stage-config (the one the trainers
// and the worker parse with), plus the platform's caps and the launch request's shape.
import { z } from 'zod';
import { PRESET_NAMES, shapeOfKey } from '../../shared/model-shape';
import { quote } from '../../shared/text-safety';
import { STAGE_CONFIG_SCHEMAS, STAGE_KEYS, type StageConfigs, type StageKey } from '../../shared/stage-config';

export { EvaluateConfigSchema, stageDefaults, STAGE_KEYS, type EvaluateConfig, type StageKey } from '../../shared/stage-config';

/** Stages an admin may switch off; evaluate and publish always run. PPO and DPO are alternatives. */
export const OPTIONAL_STAGES = ['sft', 'rm', 'ppo', 'dpo'] as const;
export type OptionalStage = (typeof OPTIONAL_STAGES)[number];

export { PRESET_NAMES } from '../../shared/model-shape';

export const LaunchRoundInput = z
  .object({
    projectId: z.string().min(1),
    /** 'active' = the project's active policy, 'new' = pretrain a fresh base, or a checkpoint id. */
    start: z.string().min(1).default('auto'),
    /**
     * The model's shape for a new base (a scratch preset: nano, mini, small); a round that starts from a
     * checkpoint takes the checkpoint's shape, and a preset given with it must match.
     */
    preset: z
      .string()
      .superRefine((k, ctx) => {
        if (shapeOfKey(k) === null) ctx.addIssue({ code: 'custom', message: `unknown preset "${quote(k)}": use ${PRESET_NAMES.join(', ')} or a checkpoint's shape key (e.g. gpt2-family-L6-C768-H12-T1024)` });
      })
      .optional(),
    stages: z.array(z.enum(OPTIONAL_STAGES)).default(['sft', 'rm', 'ppo']),
    /**
     * Train on the frozen snapshot of an earlier round of this project instead of freezing the data
     * as it is now: another method (DPO beside PPO) on exactly the same data.
     */
    snapshotId: z.string().min(1).optional(),
    settings: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type LaunchRoundInput = z.input<typeof LaunchRoundInput>;

/** Upper bounds the platform adds on top of the trainers' own checks (a typo of 1e9 steps). */
const CAPS: Record<string, number> = { steps: 100_000, batchSize: 4096, microBatchSize: 1024, checkpointEvery: 100_000, evalEvery: 100_000 };

/**
 * Parses each stage's settings with its schema. Errors name the stage and the field
 * ("ppo.klCoef: …"), and unknown keys are refused (the schemas are strict).
 */
export function parseStageSettings(settings: Record<string, unknown>): StageConfigs {
  const unknown = Object.keys(settings).filter((k) => !(STAGE_KEYS as string[]).includes(k));
  if (unknown.length) throw new z.ZodError([{ code: 'custom', path: ['settings', unknown[0]], message: `unknown stage "${quote(unknown[0])}" (stages: ${STAGE_KEYS.join(', ')})`, input: settings }]);
  const out = {} as Record<StageKey, unknown>;
  const issues: z.core.$ZodIssue[] = [];
  for (const k of STAGE_KEYS) {
    const r = STAGE_CONFIG_SCHEMAS[k].safeParse(settings[k] ?? {});
    if (!r.success) {
      for (const i of r.error.issues) issues.push({ ...i, path: ['settings', k, ...i.path] } as z.core.$ZodIssue);
      continue;
    }
    const parsed = r.data as Record<string, unknown>;
    for (const [field, cap] of Object.entries(CAPS)) {
      const v = parsed[field];
      if (typeof v === 'number' && v > cap) issues.push({ code: 'custom', path: ['settings', k, field], message: `must be at most ${cap} (got ${v})`, input: v } as z.core.$ZodIssue);
    }
    out[k] = parsed;
  }
  if (issues.length) throw new z.ZodError(issues);
  return out as StageConfigs;
}
