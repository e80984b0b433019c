// Queue names and their payloads, zod-validated by producers and processors alike.
import { z } from 'zod';

export const QUEUES = {
  health: 'health',
  train: 'train',
  sample: 'sample',
  infer: 'infer',
  export: 'export',
  models: 'models',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const ALL_QUEUES: QueueName[] = Object.values(QUEUES);

export const HealthPayload = z.object({ at: z.string() });

// One stage of a training round; jobId = TrainingJob.id.
export const TrainPayload = z.object({ trainingJobId: z.string().min(1) });
// Generate K completions for queued prompts of a project with its active policy; with
// conversationIds, pick model-written turns of those dialogues (seeded by pickSeed) and sample
// alternatives to each, in context.
export const SamplePayload = z.object({
  projectId: z.string().min(1),
  promptIds: z.array(z.string()).optional(),
  conversationIds: z.array(z.string()).optional(),
  pickSeed: z.number().int().min(0).optional(),
  checkpointId: z.string().optional(),
  trainingJobId: z.string().optional(),
});
// An arena evaluation's replies, on the sample queue as a job named "arena": every model of the
// evaluation answers its prompts, then the battles and their ARENA tasks are made.
export const ArenaPayload = z.object({ arenaEvaluationId: z.string().min(1), trainingJobId: z.string().min(1) });
export const ARENA_JOB_NAME = 'arena';
// A suggestion or chat completion from the active policy; answered through the job's return value.
export const InferPayload = z.object({
  projectId: z.string().min(1).optional(),
  checkpointId: z.string().optional(),
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })).min(1),
  maxTokens: z.number().int().min(1).max(1024).default(128),
  temperature: z.number().min(0).max(2).default(0.8),
  topP: z.number().gt(0).max(1).default(0.95),
  // OpenAI's `stop` (the reply ends before the first one) and `seed` (the same reply each time).
  stop: z.array(z.string().min(1)).max(4).optional(),
  seed: z.number().int().optional(),
});
// promptTokens: the prompt as the model read it (after cutting to the context); finishReason
// "stop" when the reply ended by itself or at a stop sequence, "length" at the token budget.
export const InferResult = z.object({
  text: z.string(),
  checkpointId: z.string(),
  tokens: z.number().int(),
  promptTokens: z.number().int(),
  finishReason: z.enum(['stop', 'length']),
});
export const ExportPayload = z.object({ exportJobId: z.string().min(1) });
// Register a Hugging Face GPT-2-family folder as a BASE checkpoint of a project. `folder` is
// relative to HONE_MODELS_DIR; `upload` is an upload id under the checkpoint root's .uploads.
export const RegisterBasePayload = z.object({
  projectId: z.string().min(1),
  name: z.string().min(1).max(120),
  source: z.union([z.object({ folder: z.string().min(1) }), z.object({ upload: z.string().min(1) })]),
  actorId: z.string().nullable(),
});
// A refusal (the folder is not a usable base) is a result, not a job failure: the web answers 400.
export const RegisterBaseResult = z.union([
  z.object({ ok: z.literal(true), checkpointId: z.string() }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);

export type TrainPayload = z.infer<typeof TrainPayload>;
export type SamplePayload = z.infer<typeof SamplePayload>;
export type ArenaPayload = z.infer<typeof ArenaPayload>;
export type InferPayload = z.infer<typeof InferPayload>;
export type InferResult = z.infer<typeof InferResult>;
export type ExportPayload = z.infer<typeof ExportPayload>;
export type RegisterBasePayload = z.infer<typeof RegisterBasePayload>;
export type RegisterBaseResult = z.infer<typeof RegisterBaseResult>;
