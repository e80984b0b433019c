// The body of POST /v1/chat/completions, checked the way OpenAI checks it: every parameter of
// OpenAI's API is known; those Hone honours are validated, those that do not change the reply
// (user, metadata, store, …) or are sent at their neutral value (presence_penalty 0, logprobs
// false, …) are accepted, the rest (tools, audio, …) are refused with a 400 that names them,
// and a key OpenAI does not have is refused as OpenAI does ("Unrecognized request argument").
// Strings may not hold NUL bytes or lone UTF-16 surrogates: Postgres and the tokenizer cannot
// carry them, so they are a 400 naming the field, never a 500.
import { z } from 'zod';

/** True when `s` holds a NUL or a surrogate half without its partner. */
export function hasUnstorableCharacter(s: string): boolean {
  return /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

const Text = z.string().refine((s) => !hasUnstorableCharacter(s), 'must not contain NUL bytes (\\u0000) or unpaired UTF-16 surrogates');

const TextPart = z.object({ type: z.literal('text'), text: Text }).strict();
const Content = z.union([Text, z.array(TextPart)]);

const Message = z
  .object({
    role: z.enum(['system', 'user', 'assistant', 'developer']),
    content: Content.nullable().optional(),
    name: Text.optional(),
  })
  .strict();

const Stop = z.union([Text.min(1, 'must not be empty'), z.array(Text.min(1, 'must not be empty')).max(4, 'holds at most 4 sequences')]);

/** Parameters of OpenAI's API that Hone accepts and ignores: they do not change the reply. */
const IGNORED = ['user', 'metadata', 'store', 'safety_identifier', 'prompt_cache_key', 'service_tier', 'parallel_tool_calls'] as const;

const Neutral = <T extends z.ZodTypeAny>(schema: T) => schema.optional().nullable();

export const ChatCompletionRequest = z
  .object({
    model: Text.optional().nullable(),
    messages: z.array(Message).min(1, 'must hold at least one message'),
    max_tokens: z.number().int().min(1).max(1024).optional().nullable(),
    max_completion_tokens: z.number().int().min(1).max(1024).optional().nullable(),
    temperature: z.number().min(0).max(2).optional().nullable(),
    top_p: z.number().gt(0).max(1).optional().nullable(),
    n: z.literal(1, { message: 'Hone answers one choice per request (n must be 1)' }).optional().nullable(),
    stream: z.boolean().optional().nullable(),
    stream_options: z.object({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().optional() }).strict().optional().nullable(),
    stop: Stop.optional().nullable(),
    seed: z.number().int().optional().nullable(),
    // Accepted at the value that changes nothing.
    frequency_penalty: Neutral(z.literal(0, { message: 'is not supported by Hone (only 0)' })),
    presence_penalty: Neutral(z.literal(0, { message: 'is not supported by Hone (only 0)' })),
    logprobs: Neutral(z.literal(false, { message: 'is not supported by Hone (only false)' })),
    logit_bias: Neutral(z.object({}).strict()),
    response_format: Neutral(z.object({ type: z.literal('text', { message: 'is not supported by Hone (only "text")' }) }).strict()),
    modalities: Neutral(z.array(z.literal('text', { message: 'is not supported by Hone (only "text")' }))),
    ...Object.fromEntries(IGNORED.map((k) => [k, z.unknown().optional()])),
  })
  .strict();

export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

/** OpenAI parameters Hone does not implement: refused by name, so a client knows why. */
const UNSUPPORTED = new Set([
  'tools',
  'tool_choice',
  'functions',
  'function_call',
  'audio',
  'prediction',
  'reasoning_effort',
  'top_logprobs',
  'verbosity',
  'web_search_options',
]);

export type RequestProblem = { message: string; param: string | null };

/** The parsed body, or what is wrong with it (OpenAI's message and the offending parameter). */
export function parseChatCompletionRequest(raw: unknown): { ok: true; body: ChatCompletionRequest } | { ok: false; problem: RequestProblem } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, problem: { message: 'The request body must be a JSON object.', param: null } };
  const known = new Set(Object.keys(ChatCompletionRequest.shape));
  for (const key of Object.keys(raw)) {
    if (UNSUPPORTED.has(key)) return { ok: false, problem: { message: `${key} is not supported by Hone's chat completions.`, param: key } };
    if (!known.has(key)) return { ok: false, problem: { message: `Unrecognized request argument supplied: ${quote(key)}`, param: quote(key) } };
  }
  const parsed = ChatCompletionRequest.safeParse(raw);
  if (parsed.success) return { ok: true, body: parsed.data };
  const issue = parsed.error.issues[0];
  const param = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || null;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    return { ok: false, problem: { message: `${param ? `${param}: ` : ''}unrecognized key ${quote(key)}`, param: param ? `${param}.${quote(key)}` : quote(key) } };
  }
  return { ok: false, problem: { message: `${param ?? 'body'}: ${issue.message}`, param } };
}

/** A key as it can be shown: short, and without characters that would break the message. */
function quote(key: string): string {
  const safe = hasUnstorableCharacter(key) ? key.replace(/[\u0000\ud800-\udfff]/g, '\ufffd') : key;
  return safe.length > 40 ? `${safe.slice(0, 40)}…` : safe;
}
