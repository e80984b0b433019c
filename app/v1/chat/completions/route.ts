// OpenAI-compatible chat completions, answered by a Hone policy through the `infer` queue.
//   POST /v1/chat/completions  Authorization: Bearer <Hone API token>
//   {model?, messages, max_tokens?, temperature?, top_p?, stop?, seed?, stream?, stream_options?}
// `model` is a project slug (its active policy), a POLICY checkpoint id or name, or omitted
// when one project has an active policy. The body is checked as OpenAI checks it
// (lib/shared/openai-chat-request.ts). `stop` ends the reply before the first stop sequence
// (finish_reason "stop"). stream: true answers with server-sent events in OpenAI's
// chat.completion.chunk format, ending with `data: [DONE]`; with stream_options.include_usage a
// last chunk with empty choices carries the usage, as OpenAI sends it. Every response and chunk
// has system_fingerprint (the checkpoint that answered); usage counts the model's tokens.
import { randomUUID } from 'node:crypto';
import { authenticate } from '@/lib/auth/api';
import { BODY_LIMITS, checkJsonValue, readBodyText } from '@/lib/http';
import { resolveModel, type ModelRef } from '@/lib/data/checkpoints/resolve-model';
import { requestCompletion, streamCompletion, InferTimeoutError } from '@/lib/queue/infer';
import { parseChatCompletionRequest, type ChatCompletionRequest } from '@/lib/shared/openai-chat-request';
import { cutAtStop, settledText } from '@/lib/shared/stop-sequences';
import { oaiError, oaiErrorFrom } from '../../openai-error';

export const dynamic = 'force-dynamic';


function text(content: ChatCompletionRequest['messages'][number]['content']): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content.map((p) => p.text).join('');
}

/**
 * OpenAI's own checks name the parameter at fault (`param`), so they answer first; the generic
 * walk (depth, NUL or lone surrogate anywhere) runs first only to keep a hostile body from
 * reaching them, and its error stands where they find nothing.
 */
function checkedRequest(raw: unknown): ReturnType<typeof parseChatCompletionRequest> {
  try {
    checkJsonValue(raw);
  } catch (walkError) {
    let parsed: ReturnType<typeof parseChatCompletionRequest> | null = null;
    try {
      parsed = parseChatCompletionRequest(raw);
    } catch {
      // e.g. a 5,000-deep array: the walk's error says it
    }
    if (parsed && !parsed.ok) return parsed;
    throw walkError;
  }
  return parseChatCompletionRequest(raw);
}

export async function POST(req: Request): Promise<Response> {
  let body: ChatCompletionRequest;
  let ref: ModelRef;
  try {
    await authenticate(req);
    // The same size limit as other message bodies (413 before or while reading), and the same
    // depth/NUL/lone-surrogate walk (400) as lib/http's readJson.
    const bodyText = await readBodyText(req, BODY_LIMITS.text);
    let raw: unknown;
    try {
      raw = JSON.parse(bodyText);
    } catch {
      return oaiError(400, 'The request body must be JSON.', 'invalid_request_error');
    }
    const parsed = checkedRequest(raw);
    if (!parsed.ok) return oaiError(400, parsed.problem.message, 'invalid_request_error', null, parsed.problem.param);
    body = parsed.body;
    if (body.stream_options && !body.stream) {
      return oaiError(400, 'stream_options is only allowed when stream is true.', 'invalid_request_error', null, 'stream_options');
    }
    ref = await resolveModel(body.model ?? undefined);
  } catch (e) {
    return oaiErrorFrom(e, '/v1/chat/completions', 'The request could not be answered because of an internal error.');
  }
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? 128;
  const stops = body.stop == null ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop;
  const payload = {
    checkpointId: ref.checkpointId,
    projectId: ref.projectId ?? undefined,
    messages: body.messages.map((m) => ({ role: m.role === 'developer' ? ('system' as const) : m.role, content: text(m.content) })),
    maxTokens,
    temperature: body.temperature ?? 0.8,
    topP: body.top_p ?? 1,
    ...(stops.length ? { stop: stops } : {}),
    ...(body.seed != null ? { seed: body.seed } : {}),
  };
  const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
  const created = Math.floor(Date.now() / 1000);
  const head = { id, created, model: ref.model, system_fingerprint: ref.checkpointId };
  const usageOf = (r: { promptTokens: number; tokens: number }) => ({ prompt_tokens: r.promptTokens, completion_tokens: r.tokens, total_tokens: r.promptTokens + r.tokens });

  if (!body.stream) {
    try {
      const r = await requestCompletion(payload, { timeoutMs: 120_000 });
      const cut = cutAtStop(r.text, stops);
      return Response.json({
        ...head,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: cut.text, refusal: null }, logprobs: null, finish_reason: cut.stopped ? 'stop' : r.finishReason }],
        usage: usageOf(r),
      });
    } catch (e) {
      if (e instanceof InferTimeoutError) return oaiError(503, `${e.message}; is a worker serving the infer queue running?`, 'server_error', 'timeout');
      return oaiErrorFrom(e, '/v1/chat/completions', 'The reply could not be sampled because of an internal error.');
    }
  }

  const includeUsage = body.stream_options?.include_usage === true;
  const enc = new TextEncoder();
  const event = (data: unknown) => enc.encode(`data: ${JSON.stringify(data)}\n\n`);
  // With include_usage every chunk has "usage": null except the last, which has only usage.
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    event({ ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(includeUsage ? { usage: null } : {}) });
  const abort = new AbortController();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(chunk({ role: 'assistant', content: '' }, null));
      let sent = '';
      const push = (t: string) => {
        if (t.length > sent.length && t.startsWith(sent)) {
          controller.enqueue(chunk({ content: t.slice(sent.length) }, null));
          sent = t;
        }
      };
      try {
        const r = await streamCompletion(payload, (t) => push(settledText(t, stops).text), { timeoutMs: 120_000, signal: abort.signal });
        const cut = cutAtStop(r.text, stops);
        push(cut.text);
        controller.enqueue(chunk({}, cut.stopped ? 'stop' : r.finishReason));
        if (includeUsage) controller.enqueue(event({ ...head, object: 'chat.completion.chunk', choices: [], usage: usageOf(r) }));
      } catch (e) {
        controller.enqueue(event({ error: { message: (e as Error).message, type: 'server_error', param: null, code: null } }));
      }
      controller.enqueue(enc.encode('data: [DONE]\n\n'));
      controller.close();
    },
    cancel() {
      abort.abort();
    },
  });
  return new Response(stream, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive' } });
}
