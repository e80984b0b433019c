// Settings of pretraining a base model from scratch on plain text (nanoGPT's train.py).
import { z } from 'zod';
import { adamFields, scheduleFields, weightDecayField } from './optimizer';

export const PretrainConfigSchema = z
  .object({
    /** Optimizer steps. */
    steps: z.number().int().positive().default(500),
    /** Blocks of `blockSize` tokens per optimizer step. */
    batchSize: z.number().int().positive().default(16),
    /** Blocks per forward/backward; gradients of the micro-batches are accumulated. */
    microBatchSize: z.number().int().positive().default(8),
    /** Tokens per block; null = the model's context. */
    blockSize: z.number().int().positive().nullable().default(null),
    ...scheduleFields({ lr: 6e-4, minLrRatio: 0.1, warmupSteps: 20 }),
    weightDecay: weightDecayField(0.1),
    ...adamFields({ adamBeta2: 0.95, adamEps: 1e-8 }),
    /** Share of the blocks held out for the evaluation loss. */
    evalFraction: z.number().min(0).max(0.5).default(0.05),
    /** Steps between held-out evaluations (and at the last step). */
    evalEvery: z.number().int().positive().default(100),
    /** Steps between resumable checkpoints (and at the last step). */
    checkpointEvery: z.number().int().positive().default(200),
    /** Seeds the held-out split and the data order. */
    seed: z.number().int().default(0),
  })
  .strict();
export type PretrainConfig = z.infer<typeof PretrainConfigSchema>;
export type PretrainConfigInput = z.input<typeof PretrainConfigSchema>;
