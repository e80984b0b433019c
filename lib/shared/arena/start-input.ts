// What starts an arena evaluation (POST /api/arena and the admin form): two or more checkpoints
// of a project, or a round (its policy against the one it started from), on held-out prompts.
import { z } from 'zod';

export const ARENA_LIMITS = {
  models: 8, // C(8,2) = 28 pairs per prompt is already many votes
  prompts: 500,
  defaultPrompts: 50,
  votesPerBattle: 9,
  maxNewTokens: 1024,
  nameChars: 120,
} as const;

const id = z.string().trim().min(1, 'A checkpoint id is empty').max(100, 'A checkpoint id is at most 100 characters');

export const StartArenaInput = z
  .object({
    projectId: z.string().trim().min(1, 'Choose a project').max(100),
    checkpointIds: z
      .array(id)
      .max(ARENA_LIMITS.models, `An evaluation compares at most ${ARENA_LIMITS.models} checkpoints`)
      .optional(),
    roundId: z.string().trim().min(1).max(100).optional(),
    name: z.string().trim().max(ARENA_LIMITS.nameChars, `The name is at most ${ARENA_LIMITS.nameChars} characters`).optional(),
    prompts: z
      .number({ error: 'The number of prompts is a whole number' })
      .int('The number of prompts is a whole number')
      .min(1, 'Use at least 1 prompt')
      .max(ARENA_LIMITS.prompts, `Use at most ${ARENA_LIMITS.prompts} prompts`)
      .default(ARENA_LIMITS.defaultPrompts),
    votesPerBattle: z
      .number({ error: 'Votes per battle is a whole number' })
      .int('Votes per battle is a whole number')
      .min(1, 'Ask for at least 1 vote per battle')
      .max(ARENA_LIMITS.votesPerBattle, `Ask for at most ${ARENA_LIMITS.votesPerBattle} votes per battle`)
      .default(1),
    maxNewTokens: z
      .number({ error: 'Max new tokens is a whole number' })
      .int('Max new tokens is a whole number')
      .min(1, 'Max new tokens is at least 1')
      .max(ARENA_LIMITS.maxNewTokens, `Max new tokens is at most ${ARENA_LIMITS.maxNewTokens}`)
      .optional(),
    temperature: z.number({ error: 'The temperature is a number' }).gt(0, 'The temperature is above 0 and at most 2').max(2, 'The temperature is above 0 and at most 2').optional(),
  })
  .strict();
export type StartArenaInput = z.input<typeof StartArenaInput>;

/** The replies' settings, recorded on the evaluation (every model answers with the same seed). */
export type ArenaParams = { prompts: number; promptIds: string[]; maxNewTokens: number; temperature: number; topP: number; seed: number };
