// Settings of supervised fine-tuning (InstructGPT §3.5): loss on the assistant's tokens only.
import { z } from 'zod';
import { adamFields, scheduleFields, weightDecayField } from './optimizer';

export const SftConfigSchema = z
  .object({
    /** Optimizer steps. */
    steps: z.number().int().positive().default(200),
    /** Conversations per optimizer step. */
    batchSize: z.number().int().positive().default(16),
    /** Conversations per forward/backward; gradients of the micro-batches are accumulated. */
    microBatchSize: z.number().int().positive().default(8),
    /** Tokens a conversation keeps (its first ones); null = the model's context. */
    maxLength: z.number().int().positive().nullable().default(null),
    ...scheduleFields({ lr: 1e-4, minLrRatio: 0.1, warmupSteps: 10 }),
    weightDecay: weightDecayField(0),
    ...adamFields({ adamBeta2: 0.999, adamEps: 1e-8 }),
    /** Share of the conversations held out when no evaluation set is given. */
    evalFraction: z.number().min(0).max(0.5).default(0.1),
    /** Steps between held-out evaluations (and at the last step); the best weights are kept. */
    evalEvery: z.number().int().positive().default(50),
    /** Steps between resumable checkpoints (and at the last step). */
    checkpointEvery: z.number().int().positive().default(100),
    /** Share of the conversations that may be skipped as unusable (too long, empty, no preference) before the stage stops instead of training. */
    maxSkipFraction: z.number().min(0).max(1).default(0.2),
    /** Seeds the held-out split and the batches' order. */
    seed: z.number().int().default(0),
  })
  .strict();
export type SftConfig = z.infer<typeof SftConfigSchema>;
export type SftConfigInput = z.input<typeof SftConfigSchema>;
