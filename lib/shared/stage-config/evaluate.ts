// Settings of a round's evaluation: the RM on held-out rankings and the new policy against the
// previous one on held-out prompts; maxKl and minRmAccuracy decide the verdict.
import { z } from 'zod';

export const EvaluateConfigSchema = z
  .object({
    /** Held-out prompts the two policies are compared on. */
    prompts: z.number().int().min(1).max(1024).default(32),
    /** Side-by-side samples kept for the round page. */
    samples: z.number().int().min(0).max(20).default(4),
    /** Tokens a sampled reply may have. */
    maxNewTokens: z.number().int().min(1).max(1024).default(64),
    /** Sampling temperature of both policies (and of the KL estimate). */
    temperature: z.number().gt(0).max(2).default(1),
    /** KL(new ‖ previous) above this fails the evaluation. */
    maxKl: z.number().positive().default(10),
    /** Held-out RM accuracy below this fails the evaluation. */
    minRmAccuracy: z.number().min(0).max(1).default(0),
    /** Seeds the sampling. */
    seed: z.number().int().default(0),
  })
  .strict();
export type EvaluateConfig = z.infer<typeof EvaluateConfigSchema>;
