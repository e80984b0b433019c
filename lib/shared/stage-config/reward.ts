// Settings of reward-model training on K-wise rankings (InstructGPT §3.5, the pairwise loss).
import { z } from 'zod';
import { adamFields, scheduleFields, weightDecayField } from './optimizer';

export const RewardConfigSchema = z
  .object({
    /** Optimizer steps. */
    steps: z.number().int().positive().default(100),
    /** Rankings per optimizer step (each ranking is one batch element with all its pairs). */
    batchSize: z.number().int().positive().default(8),
    /** Rankings per forward/backward; gradients of the micro-batches are accumulated. */
    microBatchSize: z.number().int().positive().default(4),
    /** Tokens a (context, completion) keeps (its last ones: the reward is read at the end); null = the model's context. */
    maxLength: z.number().int().positive().nullable().default(null),
    ...scheduleFields({ lr: 3e-5, minLrRatio: 0.1, warmupSteps: 5 }),
    weightDecay: weightDecayField(0),
    ...adamFields({ adamBeta2: 0.999, adamEps: 1e-8 }),
    /** Share of the rankings held out when no evaluation set is given. */
    evalFraction: z.number().min(0).max(0.5).default(0.1),
    /** Steps between held-out evaluations (accuracy, margin, loss) and at the last step. */
    evalEvery: z.number().int().positive().default(25),
    /** Steps between resumable checkpoints (and at the last step). */
    checkpointEvery: z.number().int().positive().default(100),
    /** Share of the rankings that may be skipped as unusable (too long, empty, no preference) before the stage stops instead of training. */
    maxSkipFraction: z.number().min(0).max(1).default(0.2),
    /** Seeds the scalar head, the held-out split and the data order. */
    seed: z.number().int().default(0),
  })
  .strict();
export type RewardConfig = z.infer<typeof RewardConfigSchema>;
export type RewardConfigInput = z.input<typeof RewardConfigSchema>;
