// Settings of direct preference optimisation (Rafailov et al. 2023) on the snapshot's rankings:
// the same non-tied pairs the reward model trains on, one batch element per ranking, against
// the frozen SFT model as reference. `lossType` picks TRL's sigmoid loss (with cDPO's label
// smoothing) or IPO's squared loss (Azar et al. 2023).
import { z } from 'zod';
import { adamFields, scheduleFields, weightDecayField } from './optimizer';

export const DPO_LOSS_TYPES = ['sigmoid', 'ipo'] as const;
export type DpoLossType = (typeof DPO_LOSS_TYPES)[number];

const betaMsg = 'β must be above 0 (it scales the implicit reward; TRL uses 0.1)';

export const DpoConfigSchema = z
  .object({
    /** Optimizer steps. */
    steps: z.number().int().positive().default(100),
    /** Rankings per optimizer step (each ranking is one batch element with all its pairs). */
    batchSize: z.number().int().positive().default(8),
    /** Rankings per forward/backward; gradients of the micro-batches are accumulated. */
    microBatchSize: z.number().int().positive().default(4),
    /** Tokens a (context, completion) keeps; null = the model's context. */
    maxLength: z.number().int().positive().nullable().default(null),
    /** Temperature of the implicit reward β·log(π/π_ref): larger stays closer to the reference. */
    beta: z.number(betaMsg).gt(0, betaMsg).default(0.1),
    /** sigmoid: −log σ(β·Δ) (DPO); ipo: (Δ − 1/(2β))² (IPO). */
    lossType: z.enum(DPO_LOSS_TYPES).default('sigmoid'),
    /** cDPO: the share of pairs assumed flipped (0 = plain DPO; below 0.5). Sigmoid loss only. */
    labelSmoothing: z.number().min(0).lt(0.5).default(0),
    ...scheduleFields({ lr: 5e-5, minLrRatio: 0.1, warmupSteps: 5 }),
    weightDecay: weightDecayField(0),
    ...adamFields({ adamBeta2: 0.999, adamEps: 1e-8 }),
    /** Share of the rankings held out when no evaluation set is given. */
    evalFraction: z.number().min(0).max(0.5).default(0.1),
    /** Steps between held-out evaluations and at the last step. */
    evalEvery: z.number().int().positive().default(25),
    /** Steps between resumable checkpoints (and at the last step). */
    checkpointEvery: z.number().int().positive().default(100),
    /** Share of the rankings that may be skipped as unusable before the stage stops instead of training. */
    maxSkipFraction: z.number().min(0).max(1).default(0.2),
    /** Seeds the held-out split and the data order. */
    seed: z.number().int().default(0),
  })
  .strict();
export type DpoConfig = z.infer<typeof DpoConfigSchema>;
export type DpoConfigInput = z.input<typeof DpoConfigSchema>;
