// The stage of a TrainingJob row, in one place: the Prisma enum JobStage holds the same names
// (lib/shared/stages.test.ts keeps them equal), and the launcher, the job queries, the train
// queue and the round page all type their stages with this. zod only, so pages may import it.
import { z } from 'zod';

/** A round's stages in the order they run; PRETRAIN only when the round starts a new base. */
export const ROUND_STAGES = ['PRETRAIN', 'SFT', 'RM', 'PPO', 'DPO', 'EVALUATE', 'PUBLISH'] as const;
export const RoundStage = z.enum(ROUND_STAGES);
export type RoundStage = z.infer<typeof RoundStage>;

/** Every job stage: a round's, plus SAMPLE (a standalone job that fills completion sets) and
 *  ARENA (a standalone job that writes an arena evaluation's replies). */
export const JOB_STAGES = [...ROUND_STAGES, 'SAMPLE', 'ARENA'] as const;
export const JobStage = z.enum(JOB_STAGES);
export type JobStage = z.infer<typeof JobStage>;
