// A round's settings: per stage, the ML core's own zod schema (its defaults are what the admin
// form shows and what the worker runs), plus the evaluate stage's schema, which is ours. The
// web app may not load lib/ml (TensorFlow and native backends), so the trainers' schemas reach
// it as JSON Schema (stage-schemas.generated.ts, kept in sync by stage-schemas.test.ts) and are
// rebuilt with zod here; the worker parses with the ML core's schemas themselves.
import { z } from 'zod';
import { STAGE_JSON_SCHEMAS } from './stage-schemas.generated';

const fromJson = (s: unknown) => z.fromJSONSchema(s as Parameters<typeof z.fromJSONSchema>[0]) as z.ZodType;
const PretrainConfigSchema = fromJson(STAGE_JSON_SCHEMAS.pretrain);
const SftConfigSchema = fromJson(STAGE_JSON_SCHEMAS.sft);
const RewardConfigSchema = fromJson(STAGE_JSON_SCHEMAS.rm);
const PpoConfigSchema = fromJson(STAGE_JSON_SCHEMAS.ppo);

export const EvaluateConfigSchema = z
  .object({
    prompts: z.number().int().min(1).max(1024).default(32), // held-out prompts to compare the policies on
    samples: z.number().int().min(0).max(20).default(4), // side-by-side samples kept for the UI
    maxNewTokens: z.number().int().min(1).max(1024).default(64),
    temperature: z.number().gt(0).max(2).default(1),
    maxKl: z.number().positive().default(10), // KL(new ‖ previous) above this fails the evaluation
    minRmAccuracy: z.number().min(0).max(1).default(0), // held-out RM accuracy below this fails it
    seed: z.number().int().default(0),
  })
  .strict();
export type EvaluateConfig = z.infer<typeof EvaluateConfigSchema>;

export const STAGE_SCHEMAS = {
  pretrain: PretrainConfigSchema,
  sft: SftConfigSchema,
  rm: RewardConfigSchema,
  ppo: PpoConfigSchema,
  evaluate: EvaluateConfigSchema,
} as const;
export type StageKey = keyof typeof STAGE_SCHEMAS;
export const STAGE_KEYS = Object.keys(STAGE_SCHEMAS) as StageKey[];

/** Stages an admin may switch off; evaluate and publish always run. */
export const OPTIONAL_STAGES = ['sft', 'rm', 'ppo'] as const;
export type OptionalStage = (typeof OPTIONAL_STAGES)[number];

export const PRESET_NAMES = ['nano', 'small', 'gpt2'] as const;

export const LaunchRoundInput = z
  .object({
    projectId: z.string().min(1),
    /** 'active' = the project's active policy, 'new' = pretrain a fresh base, or a checkpoint id. */
    start: z.string().min(1).default('auto'),
    preset: z.enum(PRESET_NAMES).default('nano'),
    stages: z.array(z.enum(OPTIONAL_STAGES)).default(['sft', 'rm', 'ppo']),
    settings: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type LaunchRoundInput = z.input<typeof LaunchRoundInput>;

/** A shape the form can show: every field's default per stage. */
export function stageDefaults(): Record<StageKey, Record<string, unknown>> {
  const out = {} as Record<StageKey, Record<string, unknown>>;
  for (const k of STAGE_KEYS) out[k] = (STAGE_SCHEMAS[k] as z.ZodType).parse({}) as Record<string, unknown>;
  return out;
}

/** Upper bounds the platform adds on top of the trainers' own checks (a typo of 1e9 steps). */
const CAPS: Record<string, number> = { steps: 100_000, batchSize: 4096, microBatchSize: 1024, checkpointEvery: 100_000, evalEvery: 100_000 };

/**
 * Parses each stage's settings with its schema. Errors name the stage and the field
 * ("ppo.klCoef: …"), and unknown keys are refused (the schemas are strict).
 */
export function parseStageSettings(settings: Record<string, unknown>): Record<StageKey, Record<string, unknown>> {
  const unknown = Object.keys(settings).filter((k) => !(STAGE_KEYS as string[]).includes(k));
  if (unknown.length) throw new z.ZodError([{ code: 'custom', path: ['settings', unknown[0]], message: `unknown stage "${unknown[0]}" (stages: ${STAGE_KEYS.join(', ')})`, input: settings }]);
  const out = {} as Record<StageKey, Record<string, unknown>>;
  const issues: z.core.$ZodIssue[] = [];
  for (const k of STAGE_KEYS) {
    const r = (STAGE_SCHEMAS[k] as z.ZodType).safeParse(settings[k] ?? {});
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
  return out;
}
