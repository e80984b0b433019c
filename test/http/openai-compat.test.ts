/**
 * The OpenAI-compatible endpoints end to end with a real policy: the route handlers in-process,
 * the infer processor on a BullMQ worker in this process, and a nano GPT-2-tokenizer policy
 * saved as a checkpoint. Checks stop, stream_options.include_usage, system_fingerprint, usage
 * in tokens, GET /v1/models/{id}, and 400s in OpenAI's error shape for NUL bytes, lone
 * surrogates and unknown keys; then serves the routes over HTTP and runs the OpenAI Python SDK
 * against them (fixtures/openai_sdk.py; skipped, saying so, where `import openai` fails).
 */
import { execFile, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { prisma } from '../../lib/db';
import { newId } from '../../lib/shared/ids';
import { createApiToken } from '../../lib/data/api-tokens/create-token';
import { makeProject, makeUser } from '../../lib/data/tasks/test-fixtures';
import { checkpointRoot } from '../../lib/data/training/paths';
import { closeQueues, queuePrefix, redisConnection } from '../../lib/queue/connection';
import { closeInferEvents } from '../../lib/queue/infer';
import { GPT } from '../../lib/ml/model/gpt';
import { createTokenizer, encodeChat, GPT2_VOCAB_SIZE } from '../../lib/ml/tokenizer';
import { saveCheckpoint } from '../../lib/ml/checkpoint';
import { processor as inferProcessor } from '../../worker/processors/infer';
import { createLogger } from '../../lib/log';
import { POST as chatRoute } from '@/app/v1/chat/completions/route';
import { GET as modelsRoute } from '@/app/v1/models/route';
import { GET as modelRoute } from '@/app/v1/models/[id]/route';
import { POST as otherV1Route } from '@/app/v1/[...path]/route';

// Queues of their own (under the run's prefix, so teardown still removes them): other test files
// serve the infer queue with workers of their own (one answers every job with a canned text).
vi.hoisted(() => {
  process.env.HONE_REDIS_PREFIX = `${process.env.HONE_REDIS_PREFIX}:openai-compat`;
});

const SDK_SCRIPT = path.join(import.meta.dirname, 'fixtures', 'openai_sdk.py');
const hasSdk = spawnSync('python3', ['-c', 'import openai'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
if (!hasSdk) console.warn('openai-compat: python3 with the openai package not found; skipping the OpenAI Python SDK check');

let worker: Worker;
let token: string;
let modelName: string;
let checkpointId: string;
let dir: string;

beforeAll(async () => {
  expect(queuePrefix()).toMatch(/:openai-compat$/);
  const projectId = await makeProject();
  const userId = await makeUser('ADMIN');
  token = (await createApiToken(userId, { name: 'openai-compat' })).secret;
  modelName = `nano-policy-${newId()}`;
  dir = path.join(checkpointRoot(), 'openai-compat', modelName);
  await mkdir(path.dirname(dir), { recursive: true });
  const model = new GPT({ vocabSize: GPT2_VOCAB_SIZE, nPositions: 64, nEmbd: 32, nLayer: 2, nHead: 4, layerNormEpsilon: 1e-5, tokenizer: 'gpt2' }, { seed: 5 });
  await saveCheckpoint(dir, { model, tokenizer: createTokenizer('gpt2'), hone: { stage: 'policy', step: 1 } });
  model.dispose();
  checkpointId = (await prisma.checkpoint.create({ data: { projectId, kind: 'POLICY', name: modelName, preset: 'nano', uri: dir, status: 'READY' }, select: { id: true } })).id;
  const ctx = { workerId: 'openai-compat-test', log: createLogger({ test: 'openai-compat' }, 'warn'), backend: () => null };
  await inferProcessor.init?.(ctx);
  worker = new Worker(inferProcessor.queue, (job) => inferProcessor.process(job, ctx), { connection: redisConnection(), prefix: queuePrefix(), concurrency: 1 });
}, 120_000);

afterAll(async () => {
  await worker?.close();
  await inferProcessor.close?.();
  await closeInferEvents();
  await closeQueues();
  await rm(dir, { recursive: true, force: true });
  await prisma.$disconnect();
});

const chat = (body: unknown, auth = true) =>
  chatRoute(
    new Request('http://localhost/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
// The handler reads the id from params (Next decodes the path segment into it).
const getModel = (id: string) => modelRoute(new Request('http://localhost/v1/models/x', { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ id }) });

type Completion = { choices: { message: { content: string }; finish_reason: string }[]; usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number }; system_fingerprint: string };
type Chunk = { choices: { delta: { content?: string }; finish_reason: string | null }[]; usage?: Completion['usage'] | null; system_fingerprint: string };

async function events(res: Response): Promise<Chunk[]> {
  const body = await res.text();
  const lines = body.split('\n\n').filter(Boolean).map((l) => l.replace(/^data: /, ''));
  expect(lines.at(-1)).toBe('[DONE]');
  return lines.slice(0, -1).map((l) => JSON.parse(l) as Chunk);
}

const MESSAGES = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Naïve question — what is rain? 雨' },
];
const GREEDY = { model: '', messages: MESSAGES, temperature: 0, max_tokens: 20 };

describe('OpenAI-compatible endpoints', () => {
  it('answers with token usage and system_fingerprint, and stops before a stop sequence', async () => {
    const greedy = { ...GREEDY, model: modelName };
    const full = (await (await chat(greedy)).json()) as Completion;
    const text = full.choices[0].message.content;
    const promptIds = encodeChat(createTokenizer('gpt2'), MESSAGES as never, { addGenerationPrompt: true }).ids;
    expect(full.usage.prompt_tokens).toBe(promptIds.length);
    expect(full.usage.prompt_tokens).not.toBe(new TextEncoder().encode(MESSAGES.map((m) => m.content).join('')).length);
    expect(full.usage.total_tokens).toBe(full.usage.prompt_tokens + full.usage.completion_tokens);
    expect(full.system_fingerprint).toBe(checkpointId);
    expect(text.length).toBeGreaterThan(3);

    const k = Math.floor(text.length / 2);
    const stop = text.slice(k, k + 2);
    const expected = text.slice(0, text.indexOf(stop));
    const res = (await (await chat({ ...greedy, stop })).json()) as Completion;
    expect(res.choices[0].message.content).toBe(expected);
    expect(res.choices[0].finish_reason).toBe('stop');
    // The worker stopped sampling there: fewer tokens than the full reply.
    expect(res.usage.completion_tokens).toBeLessThan(full.usage.completion_tokens);

    // Streamed, with include_usage: the same text, system_fingerprint on every chunk, usage null
    // until a last chunk with empty choices.
    const chunks = await events(await chat({ ...greedy, stop: [stop, 'not there'], stream: true, stream_options: { include_usage: true } }));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(expected);
    expect(chunks.every((c) => c.system_fingerprint === checkpointId)).toBe(true);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: promptIds.length, completion_tokens: res.usage.completion_tokens });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(chunks.at(-2)!.choices[0].finish_reason).toBe('stop');

    // Without include_usage there is no usage chunk and no usage key.
    const plain = await events(await chat({ ...greedy, stream: true }));
    expect(plain.every((c) => c.choices.length === 1 && !('usage' in c))).toBe(true);
  });

  it('answers bad input with a 400 in OpenAI error shape, never a 500', async () => {
    const cases: [unknown, string | null][] = [
      [{ model: 'bad\u0000model', messages: MESSAGES }, 'model'],
      [{ model: modelName, messages: [{ role: 'user', content: 'a\u0000b' }] }, 'messages[0].content'],
      [{ model: modelName, messages: [{ role: 'user', content: 'lone \ud800 half' }] }, 'messages[0].content'],
      [{ model: modelName, messages: MESSAGES, temprature: 1 }, 'temprature'],
      [{ model: modelName, messages: MESSAGES, stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
      [{ model: modelName, messages: MESSAGES, stream_options: { include_usage: true } }, 'stream_options'],
    ];
    for (const [body, param] of cases) {
      const res = await chat(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const json = (await res.json()) as { error: { message: string; type: string; param: string | null; code: string | null } };
      expect(json.error).toMatchObject({ type: 'invalid_request_error', param });
      expect(json.error.message.length).toBeGreaterThan(10);
    }
    // The raw JSON escape \u0000 in `model`, as a client sends it.
    const raw = await chat(`{"model":"x\\u0000y","messages":[{"role":"user","content":"hi"}]}`);
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { param: string } }).error.param).toBe('model');
    expect((await chat({ messages: MESSAGES }, false)).status).toBe(401);
  });

  it('GET /v1/models/{id}: the model object, or a JSON 404 in OpenAI error shape', async () => {
    const ok = await getModel(modelName);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: modelName, object: 'model', owned_by: 'hone' });
    const list = (await (await modelsRoute(new Request('http://localhost/v1/models', { headers: { authorization: `Bearer ${token}` } }))).json()) as { data: { id: string }[] };
    expect(list.data.map((m) => m.id)).toContain(modelName);
    for (const id of ['no-such-model', 'nul\u0000id', 'lone\udc00']) {
      const res = await getModel(id);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/json');
      const json = (await res.json()) as { error: { code: string; type: string; message: string } };
      expect(json.error).toMatchObject({ code: 'model_not_found', type: 'invalid_request_error' });
      expect(json.error.message).not.toContain('\u0000');
    }
  });

  it('another /v1 URL is a JSON 404, as OpenAI answers it', async () => {
    const res = await otherV1Route(new Request('http://localhost/v1/completions', { method: 'POST', body: '{}' }));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { message: 'Invalid URL (POST /v1/completions)', type: 'invalid_request_error', param: null, code: null } });
  });

  describe.skipIf(!hasSdk)('the OpenAI Python SDK', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      // A tiny server around the route handlers, as Next would call them.
      server = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const url = new URL(req.url ?? '/', 'http://localhost');
        const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])) as [string, string][]);
        const request = new Request(url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
        let response: Response;
        const one = url.pathname.match(/^\/v1\/models\/(.+)$/);
        if (url.pathname === '/v1/chat/completions' && req.method === 'POST') response = await chatRoute(request);
        else if (url.pathname === '/v1/models') response = await modelsRoute(request);
        else if (one) response = await modelRoute(request, { params: Promise.resolve({ id: decodeURIComponent(one[1]) }) });
        else response = Response.json({ error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } }, { status: 404 });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (response.body) for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) res.write(part);
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('honours stop and stream_options.include_usage', async () => {
      // execFileSync would block this process, which serves the requests: run it asynchronously.
      const out = await new Promise<string>((resolve, reject) => {
        execFile('python3', [SDK_SCRIPT, base, token, modelName], { timeout: 240_000 }, (err, stdout, stderr) =>
          err ? reject(new Error(`openai_sdk.py failed:\n${stdout}\n${stderr.slice(-3000)}`)) : resolve(stdout),
        );
      });
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
      console.log('openai-compat SDK:', JSON.stringify(result));
      expect(result).toMatchObject({ ok: true, fingerprint: checkpointId });
      expect(String(result.reply).startsWith(String(result.stopped))).toBe(true);
    });
  });
});
