// The sample queue's settings, stored per project in Project.samplingParams.
import { z } from 'zod';

export const SamplingParamsSchema = z.object({
  temperature: z.number().gt(0).max(2).default(1),
  topP: z.number().gt(0).max(1).default(1),
  maxTokens: z.number().int().min(1).max(1024).default(48),
  maxPrompts: z.number().int().min(1).max(10_000).default(256), // prompts sampled per job
});
export type SamplingParams = z.infer<typeof SamplingParamsSchema>;

/** Stored params with defaults filled in; unknown or bad fields fall back to the defaults. */
export function samplingParams(stored: unknown): SamplingParams {
  const r = SamplingParamsSchema.safeParse(stored ?? {});
  return r.success ? r.data : SamplingParamsSchema.parse({});
}
