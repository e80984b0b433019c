// OpenAI-compatible chat completions, answered by a Hone policy through the `infer` queue.
//   POST /v1/chat/completions  Authorization: Bearer <Hone API token>
//   {model?, messages, max_tokens?, temperature?, top_p?, stream?}
// `model` is a project slug (its active policy), a POLICY checkpoint id or name, or omitted
// when one project has an active policy. stream: true answers with server-sent events in
// OpenAI's chat.completion.chunk format, ending with `data: [DONE]`.
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { authenticate } from '@/lib/auth/api';
import { isAppError } from '@/lib/data/errors';
import { resolveModel } from '@/lib/data/checkpoints/resolve-model';
import { requestCompletion, streamCompletion, InferTimeoutError } from '@/lib/queue/infer';

export const dynamic = 'force-dynamic';

const Content = z.union([z.string(), z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough())]);
const Body = z
  .object({
    model: z.string().optional(),
    messages: z
      .array(z.object({ role: z.enum(['system', 'user', 'assistant', 'developer']), content: Content.nullable().optional(), name: z.string().optional() }).passthrough())
      .min(1, 'messages must hold at least one message'),
    max_tokens: z.number().int().min(1).max(1024).optional(),
    max_completion_tokens: z.number().int().min(1).max(1024).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    n: z.literal(1).optional(),
    stream: z.boolean().optional(),
  })
  .passthrough();

function oaiError(status: number, message: string, type: string, code: string | null = null): Response {
  return Response.json({ error: { message, type, param: null, code } }, { status });
}

function text(content: z.infer<typeof Content> | null | undefined): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content.map((p) => p.text ?? '').join('');
}

export async function POST(req: Request): Promise<Response> {
  let body: z.infer<typeof Body>;
  let ref;
  try {
    await authenticate(req);
    let raw: unknown;
    try {
      raw = await req.json();
    } catch {
      return oaiError(400, 'The request body must be JSON.', 'invalid_request_error');
    }
    const parsed = Body.safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return oaiError(400, `${i.path.join('.') || 'body'}: ${i.message}`, 'invalid_request_error');
    }
    body = parsed.data;
    ref = await resolveModel(body.model);
  } catch (e) {
    if (isAppError(e)) return oaiError(e.status, e.message, e.code === 'UNAUTHENTICATED' ? 'authentication_error' : 'invalid_request_error', e.code.toLowerCase());
    throw e;
  }
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? 128;
  const payload = {
    checkpointId: ref.checkpointId,
    projectId: ref.projectId ?? undefined,
    messages: body.messages.map((m) => ({ role: m.role === 'developer' ? ('system' as const) : m.role, content: text(m.content) })),
    maxTokens,
    temperature: body.temperature ?? 0.8,
    topP: body.top_p ?? 1,
  };
  const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
  const created = Math.floor(Date.now() / 1000);
  const promptTokens = payload.messages.reduce((n, m) => n + new TextEncoder().encode(m.content).length + 2, 1);

  if (!body.stream) {
    try {
      const r = await requestCompletion(payload, { timeoutMs: 120_000 });
      return Response.json({
        id,
        object: 'chat.completion',
        created,
        model: ref.model,
        system_fingerprint: r.checkpointId,
        choices: [{ index: 0, message: { role: 'assistant', content: r.text }, logprobs: null, finish_reason: r.tokens >= maxTokens ? 'length' : 'stop' }],
        usage: { prompt_tokens: promptTokens, completion_tokens: r.tokens, total_tokens: promptTokens + r.tokens },
      });
    } catch (e) {
      if (e instanceof InferTimeoutError) return oaiError(503, `${e.message}; is a worker serving the infer queue running?`, 'server_error', 'timeout');
      return oaiError(500, (e as Error).message, 'server_error');
    }
  }

  const enc = new TextEncoder();
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    enc.encode(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: ref.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`);
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
        const r = await streamCompletion(payload, push, { timeoutMs: 120_000, signal: abort.signal });
        push(r.text);
        controller.enqueue(chunk({}, r.tokens >= maxTokens ? 'length' : 'stop'));
      } catch (e) {
        controller.enqueue(enc.encode(`data: ${JSON.stringify({ error: { message: (e as Error).message, type: 'server_error', param: null, code: null } })}\n\n`));
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
