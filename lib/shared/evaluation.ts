// The EVALUATE stage's verdict, stored as its job's last metric row and read back by publish
// (to register the policy READY or FAILED_EVAL) and by the round page. One schema for the
// writer and every reader, so a row is recognised by parsing it, not by sniffing a key.
import { z } from 'zod';

// A metric row is JSON: a NaN or ±Infinity estimate (a diverged policy) is stored as null.
// Read it back as NaN so the verdict's numbers stay numbers and the page prints "NaN".
const estimate = z.union([z.number(), z.nan(), z.null().transform(() => Number.NaN)]);

export const EvaluationSampleSchema = z.object({
  prompt: z.string(),
  previous: z.string(),
  candidate: z.string(),
  previousScore: estimate,
  candidateScore: estimate,
});
export type EvaluationSample = z.output<typeof EvaluationSampleSchema>;

export const EvaluationResultSchema = z.object({
  /** Pairwise accuracy of the round's RM on held-out rankings; null when the round trained none. */
  rmAccuracy: z.number().min(0).max(1).nullable(),
  rmPairs: z.number().int().min(0),
  meanScoreCandidate: estimate,
  meanScorePrevious: estimate,
  /** KL(new ‖ previous) estimated on the new policy's samples. */
  kl: estimate,
  prompts: z.number().int().min(0),
  /** What the policy was compared with ("active policy …", "this round’s SFT model", …). */
  previous: z.string(),
  passed: z.boolean(),
  reasons: z.array(z.string()),
  samples: z.array(EvaluationSampleSchema),
});
export type EvaluationResult = z.output<typeof EvaluationResultSchema>;

/** The evaluation among an EVALUATE job's metric rows (the others are progress rows), or null. */
export function findEvaluation(rows: readonly { values: unknown }[]): EvaluationResult | null {
  for (const r of rows) {
    const parsed = EvaluationResultSchema.safeParse(r.values);
    if (parsed.success) return parsed.data;
  }
  return null;
}
