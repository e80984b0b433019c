// Every training stage's settings, in one zod-only module (no TensorFlow): the trainers, the
// worker, the CLI, the round launcher and the launch form all parse with these schemas, so the
// defaults the admin sees are the ones that run.
import type { z } from 'zod';
import { PretrainConfigSchema } from './pretrain';
import { SftConfigSchema } from './sft';
import { RewardConfigSchema } from './reward';
import { PpoConfigSchema } from './ppo';
import { DpoConfigSchema } from './dpo';
import { EvaluateConfigSchema } from './evaluate';

export * from './pretrain';
export * from './sft';
export * from './reward';
export * from './ppo';
export * from './dpo';
export * from './evaluate';
export * from './limits';

/** Settings schema per configurable stage, keyed as a round's `settings` object is. */
export const STAGE_CONFIG_SCHEMAS = {
  pretrain: PretrainConfigSchema,
  sft: SftConfigSchema,
  rm: RewardConfigSchema,
  ppo: PpoConfigSchema,
  dpo: DpoConfigSchema,
  evaluate: EvaluateConfigSchema,
} as const;
export type StageKey = keyof typeof STAGE_CONFIG_SCHEMAS;
export const STAGE_KEYS = Object.keys(STAGE_CONFIG_SCHEMAS) as StageKey[];
export type StageConfigs = { [K in StageKey]: z.infer<(typeof STAGE_CONFIG_SCHEMAS)[K]> };

/** Every field's default, per stage (what the launch form shows). */
export function stageDefaults(): StageConfigs {
  return Object.fromEntries(STAGE_KEYS.map((k) => [k, STAGE_CONFIG_SCHEMAS[k].parse({})])) as StageConfigs;
}
