// zod schemas for labeling and project input, shared by the API routes, the use cases and the
// pages' forms (client-safe: zod only).
import { z } from 'zod';
import { ARENA_VOTES, COMPLETION_FLAG_IDS, K_MAX, K_MIN, LIKERT_MAX, LIKERT_MIN, LIMITS, TASK_KINDS } from './labeling';
import { SamplingParamsPatch, SamplingParamsSchema } from './sampling';
import { COLLECTION_DEFAULTS as CD, COLLECTION_LIMITS as CL, LIKERT_MODES, SUGGEST_MODES } from './collection';

const weight = z.number().min(0, 'must be 0 or more').max(1000, 'must be at most 1000');

const projectFields = {
  name: z.string().trim().min(1, 'Enter a name for the project').max(120, 'Name is at most 120 characters'),
  description: z.string().max(2000),
  guidelines: z.string().max(LIMITS.guidelinesChars, `Guidelines are at most ${LIMITS.guidelinesChars} characters`),
  k: z.number().int().min(K_MIN, `K must be ${K_MIN}–${K_MAX}`).max(K_MAX, `K must be ${K_MIN}–${K_MAX}`),
  overlap: z.number().int().min(1, 'Overlap must be 1–20').max(20, 'Overlap must be 1–20'),
  mixDemonstration: weight,
  mixDialogue: weight,
  mixRanking: weight,
  leaseMinutes: z.number().int().min(1, 'Lease must be 1–1440 minutes').max(1440, 'Lease must be 1–1440 minutes'),
  // A policy that passes evaluation becomes the active one at publish, without an admin.
  autoPromote: z.boolean(),
  // How data is collected (lib/shared/collection.ts).
  contextRate: z.number().min(CL.contextRate.min, 'The share of model turns compared in context must be 0–1').max(CL.contextRate.max, 'The share of model turns compared in context must be 0–1'),
  suggestMode: z.enum(SUGGEST_MODES, { error: 'Suggestions must be off, on request or live' }),
  editPairWeight: z.number().min(CL.editPairWeight.min, 'The weight of edited suggestions must be 0–10').max(CL.editPairWeight.max, 'The weight of edited suggestions must be 0–10'),
  goldShare: z.number().min(CL.goldShare.min, 'The share of gold tasks must be 0–0.5 (at most half of the tasks)').max(CL.goldShare.max, 'The share of gold tasks must be 0–0.5 (at most half of the tasks)'),
  goldMinAccuracy: z.number().min(CL.goldMinAccuracy.min, 'The gold accuracy threshold must be 0–1').max(CL.goldMinAccuracy.max, 'The gold accuracy threshold must be 0–1'),
  likertMode: z.enum(LIKERT_MODES, { error: 'Likert must be per ranking or per completion' }),
};

export const ProjectInput = z
  .object({
    ...projectFields,
    description: projectFields.description.default(''),
    guidelines: projectFields.guidelines.default(''),
    k: projectFields.k.default(4),
    overlap: projectFields.overlap.default(3),
    mixDemonstration: projectFields.mixDemonstration.default(1),
    mixDialogue: projectFields.mixDialogue.default(1),
    mixRanking: projectFields.mixRanking.default(1),
    leaseMinutes: projectFields.leaseMinutes.default(30),
    autoPromote: projectFields.autoPromote.default(false),
    contextRate: projectFields.contextRate.default(CD.contextRate),
    suggestMode: projectFields.suggestMode.default(CD.suggestMode),
    editPairWeight: projectFields.editPairWeight.default(CD.editPairWeight),
    goldShare: projectFields.goldShare.default(CD.goldShare),
    goldMinAccuracy: projectFields.goldMinAccuracy.default(CD.goldMinAccuracy),
    likertMode: projectFields.likertMode.default(CD.likertMode),
    // settings left out take their defaults (prefault: parsed, so the inner defaults apply)
    samplingParams: SamplingParamsSchema.prefault({}),
  })
  .strict();
export type ProjectInput = z.input<typeof ProjectInput>;

// PATCH: only the fields sent change (no defaults here, or an edit would reset the rest);
// samplingParams may be partial too: updateProject merges it with the stored settings.
export const ProjectPatch = z
  .object({ ...projectFields, samplingParams: SamplingParamsPatch, archived: z.boolean() })
  .partial()
  .strict();
export type ProjectPatch = z.infer<typeof ProjectPatch>;

export const NextTaskInput = z
  .object({ projectId: z.string().min(1).optional(), kind: z.enum(TASK_KINDS).optional() })
  .strict();
export type NextTaskInput = z.infer<typeof NextTaskInput>;

export const SkipInput = z.object({ reason: z.string().trim().min(1, 'Say why you skip').max(LIMITS.skipReasonChars) }).strict();

const idempotencyKey = z.string().min(8, 'Idempotency key must be 8–200 characters').max(200, 'Idempotency key must be 8–200 characters');
const timeMs = z.number().int().min(0).max(7 * 24 * 3600 * 1000).optional();

// The guideline version the labeler had on screen; the server checks it exists and marks a
// submit made on an older one (it is still accepted).
const guidelineVersion = z.number({ error: 'The guideline version is a whole number' }).int('The guideline version is a whole number').min(1, 'Guideline versions start at 1').optional();

/** One 1–7 rating per completion, keyed by completion index (projects with Likert per completion). */
export const LikertPerCompletion = z
  .record(
    z.string(),
    z.number({ error: 'Each completion rating is a whole number from 1 to 7' }).int('Each completion rating is a whole number from 1 to 7').min(LIKERT_MIN, 'Each completion rating is a whole number from 1 to 7').max(LIKERT_MAX, 'Each completion rating is a whole number from 1 to 7'),
  )
  .refine((r) => Object.keys(r).every((k) => /^\d+$/.test(k)), 'Likert ratings are keyed by completion index (0, 1, …)');

export const Flags = z.record(z.string().regex(/^\d+$/, 'flag keys are completion indices'), z.array(z.enum(COMPLETION_FLAG_IDS)).max(COMPLETION_FLAG_IDS.length));

export const RankingSubmission = z
  .object({
    kind: z.literal('RANKING').optional(),
    tiers: z.array(z.array(z.number().int())).min(1, 'The ranking is empty'),
    allBad: z.boolean().default(false),
    flags: Flags.default({}),
    likert: z.number().int().min(LIKERT_MIN, 'Likert rating is 1–7').max(LIKERT_MAX, 'Likert rating is 1–7').nullable().optional(),
    likertPerCompletion: LikertPerCompletion.optional(),
    guidelineVersion,
    comment: z.string().max(LIMITS.commentChars, `Comment is at most ${LIMITS.commentChars} characters`).optional(),
    timeMs,
    idempotencyKey: idempotencyKey.optional(),
  })
  .strict();
export type RankingSubmission = z.infer<typeof RankingSubmission>;

export const DemonstrationSubmission = z
  .object({
    kind: z.literal('DEMONSTRATION').optional(),
    text: z
      .string()
      .refine((s) => s.trim().length > 0, 'The answer is empty')
      .refine((s) => s.length <= LIMITS.answerChars, `The answer is longer than ${LIMITS.answerChars} characters`),
    // the model suggestion the labeler accepted into the box (POST /api/tasks/:id/suggest)
    suggestionId: z.string().min(1).max(100).optional(),
    timeMs,
    guidelineVersion,
    idempotencyKey: idempotencyKey.optional(),
  })
  .strict();
export type DemonstrationSubmission = z.infer<typeof DemonstrationSubmission>;

export const DialogueSubmission = z
  .object({
    kind: z.literal('DIALOGUE').optional(),
    // the leaf of the branch the labeler submits as their main line (any branch is kept)
    leafMessageId: z.string().min(1).optional(),
    timeMs,
    guidelineVersion,
    idempotencyKey: idempotencyKey.optional(),
  })
  .strict();
export type DialogueSubmission = z.infer<typeof DialogueSubmission>;

/** A draft is free-form work in progress, bounded in size. */
export const DraftInput = z
  .object({ draft: z.record(z.string(), z.unknown()) })
  .strict()
  .refine((d) => JSON.stringify(d.draft).length <= 200_000, 'The draft is larger than 200 000 characters');

export const MessageInput = z
  .object({
    parentId: z.string().min(1).nullable(),
    role: z.enum(['USER', 'ASSISTANT']),
    text: z
      .string()
      .refine((s) => s.trim().length > 0, 'The message is empty')
      .refine((s) => s.length <= LIMITS.messageChars, `The message is longer than ${LIMITS.messageChars} characters`),
    editedFromId: z.string().min(1).optional(),
  })
  .strict();
export type MessageInput = z.infer<typeof MessageInput>;

export const SuggestInput = z.object({ parentId: z.string().min(1) }).strict();

/** An arena vote, in the sides the labeler saw (left / right as shown, tie, both bad). */
export const ArenaSubmission = z
  .object({
    kind: z.literal('ARENA').optional(),
    vote: z.enum(ARENA_VOTES, { error: 'The vote is one of "left", "right", "tie" or "both_bad"' }),
    timeMs,
    guidelineVersion,
    idempotencyKey: idempotencyKey.optional(),
  })
  .strict();
export type ArenaSubmission = z.infer<typeof ArenaSubmission>;
