// A project's sampling settings (Project.samplingParams): how the `sample` queue draws K
// completions from the active policy. Shared by the API, the use cases, the worker and the admin
// form (client-safe: zod only).
import { z } from 'zod';

export const SAMPLING_DEFAULTS = { temperature: 1, topP: 1, maxTokens: 48, maxPrompts: 256, bestOf: 1 } as const;
export const SAMPLING_LIMITS = {
  temperature: { min: 0, max: 2 }, // min exclusive
  topP: { min: 0, max: 1 }, // min exclusive
  maxTokens: { min: 1, max: 1024 },
  maxPrompts: { min: 1, max: 10_000 },
  bestOf: { min: 1, max: 16 },
} as const;

const L = SAMPLING_LIMITS;
const temperatureMsg = `Temperature must be above ${L.temperature.min} and at most ${L.temperature.max}`;
const topPMsg = `Top-p must be above ${L.topP.min} and at most ${L.topP.max}`;
const maxTokensMsg = `Max tokens must be a whole number from ${L.maxTokens.min} to ${L.maxTokens.max}`;
const maxPromptsMsg = `Prompts per promotion must be a whole number from ${L.maxPrompts.min} to ${L.maxPrompts.max}`;
const bestOfMsg = `Best of n must be a whole number from ${L.bestOf.min} (off) to ${L.bestOf.max}`;

const fields = {
  temperature: z.number(temperatureMsg).gt(L.temperature.min, temperatureMsg).max(L.temperature.max, temperatureMsg),
  topP: z.number(topPMsg).gt(L.topP.min, topPMsg).max(L.topP.max, topPMsg),
  maxTokens: z.number(maxTokensMsg).int(maxTokensMsg).min(L.maxTokens.min, maxTokensMsg).max(L.maxTokens.max, maxTokensMsg),
  // prompts sampled per job: one job per promotion or prompt import
  maxPrompts: z.number(maxPromptsMsg).int(maxPromptsMsg).min(L.maxPrompts.min, maxPromptsMsg).max(L.maxPrompts.max, maxPromptsMsg),
  // each completion is the reward model's best of this many samples (1 = off): a cheap baseline
  // that needs no training, only an RM
  bestOf: z.number(bestOfMsg).int(bestOfMsg).min(L.bestOf.min, bestOfMsg).max(L.bestOf.max, bestOfMsg),
};

/** All five settings; a missing one takes its default, an unknown key is an error. */
export const SamplingParamsSchema = z
  .object({
    temperature: fields.temperature.default(SAMPLING_DEFAULTS.temperature),
    topP: fields.topP.default(SAMPLING_DEFAULTS.topP),
    maxTokens: fields.maxTokens.default(SAMPLING_DEFAULTS.maxTokens),
    maxPrompts: fields.maxPrompts.default(SAMPLING_DEFAULTS.maxPrompts),
    bestOf: fields.bestOf.default(SAMPLING_DEFAULTS.bestOf),
  })
  .strict();
export type SamplingParams = z.infer<typeof SamplingParamsSchema>;

/** A PATCH: only the settings sent change; the use case merges them with the stored ones. */
export const SamplingParamsPatch = z.object(fields).partial().strict();
export type SamplingParamsPatch = z.infer<typeof SamplingParamsPatch>;
