// The schedule and optimizer fields every gradient stage shares (warmup + cosine, AdamW,
// global-norm clipping: nanoGPT's recipe), with each stage's own defaults.
import { z } from 'zod';

export function scheduleFields(d: { lr: number; minLrRatio: number; warmupSteps: number }) {
  return {
    /** Peak learning rate, reached after `warmupSteps`. */
    lr: z.number().positive().default(d.lr),
    /** The cosine decay ends at lr · minLrRatio on the last step; 1 keeps the rate constant. */
    minLrRatio: z.number().min(0).max(1).default(d.minLrRatio),
    /** Steps of linear warmup from lr / warmupSteps to lr. */
    warmupSteps: z.number().int().min(0).default(d.warmupSteps),
  };
}

/** Decoupled (AdamW) weight decay on tensors of rank ≥ 2 (matrices, embeddings), never on biases or LayerNorms. */
export const weightDecayField = (d: number) => z.number().min(0).default(d);

export function adamFields(d: { adamBeta2: number; adamEps: number }) {
  return {
    /** Adam's first-moment decay. */
    adamBeta1: z.number().min(0).max(1).default(0.9),
    /** Adam's second-moment decay (0.95 for pretraining as nanoGPT, 0.999 elsewhere as PyTorch). */
    adamBeta2: z.number().min(0).max(1).default(d.adamBeta2),
    /** Adam's ε, explicit because TF.js and PyTorch default differently. */
    adamEps: z.number().positive().default(d.adamEps),
    /** Gradients are scaled so their global L2 norm is at most this; 0 turns clipping off. */
    maxGradNorm: z.number().min(0).default(1),
  };
}
