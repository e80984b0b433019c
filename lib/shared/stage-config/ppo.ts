// Settings of PPO-ptx (InstructGPT §3.5 "RL"), named and defaulted as TRL's PPOConfig where the
// two share a meaning.
import { z } from 'zod';
import { adamFields, scheduleFields } from './optimizer';

export const PpoConfigSchema = z
  .object({
    /** PPO iterations: one rollout batch and its updates each. */
    steps: z.number().int().positive().default(100),
    /** Prompts (rollouts) per iteration. */
    batchSize: z.number().int().positive().default(16),
    /** Rollouts per optimizer step. */
    miniBatchSize: z.number().int().positive().default(8),
    /** Rollouts per forward/backward; gradients of the micro-batches are accumulated. */
    microBatchSize: z.number().int().positive().default(8),
    /** Passes over each rollout batch. */
    ppoEpochs: z.number().int().positive().default(4),
    /** Tokens a sampled reply may have (it ends earlier at <|end|> or <|endoftext|>). */
    maxNewTokens: z.number().int().positive().default(32),
    /** Tokens a prompt keeps (its last ones); null = the context minus maxNewTokens. */
    maxPromptTokens: z.number().int().positive().nullable().default(null),
    /** Sampling temperature, also applied when scoring log-probs so π_old is what was sampled from. */
    temperature: z.number().positive().default(0.7),
    ...scheduleFields({ lr: 1e-5, minLrRatio: 1, warmupSteps: 0 }),
    ...adamFields({ adamBeta2: 0.999, adamEps: 1e-5 }),
    /** Discount of GAE. */
    gamma: z.number().min(0).max(1).default(1),
    /** λ of GAE. */
    lam: z.number().min(0).max(1).default(0.95),
    /** ε of the clipped policy ratio. */
    clipRange: z.number().positive().default(0.2),
    /** Clip of the value prediction around the rollout's value. */
    clipRangeValue: z.number().positive().default(0.2),
    /** Weight of the value loss in the joint loss. */
    vfCoef: z.number().min(0).default(0.1),
    /** Initial β of the per-token KL penalty against the reference (InstructGPT: 0.02). */
    klCoef: z.number().min(0).default(0.02),
    /** KL the adaptive controller steers β toward; null keeps β fixed. */
    klTarget: z.number().positive().nullable().default(6),
    /** Horizon (in rollouts) of the adaptive KL controller. */
    klHorizon: z.number().positive().default(10000),
    /** Whiten the per-token rewards before GAE. */
    whitenRewards: z.boolean().default(false),
    /** Subtracted from the score of a reply that never ends; null = no penalty. */
    missingEosPenalty: z.number().nullable().default(null),
    /** γ of PPO-ptx: weight of the LM loss on pretraining/SFT text; needs that text when > 0. */
    ptxCoef: z.number().min(0).default(0),
    /** Rows of ptx text per optimizer step. */
    ptxBatchSize: z.number().int().positive().default(4),
    /** Iterations between resumable checkpoints (and at the last one). */
    checkpointEvery: z.number().int().positive().default(10),
    /** Share of the prompts that may be skipped as unusable (too long, empty, no preference) before the stage stops instead of training. */
    maxSkipFraction: z.number().min(0).max(1).default(0.2),
    /** Seeds the prompt order, the sampling and the mini-batches. */
    seed: z.number().int().default(0),
  })
  .strict();
export type PpoConfig = z.infer<typeof PpoConfigSchema>;
export type PpoConfigInput = z.input<typeof PpoConfigSchema>;
