// Fuzzes every route handler in-process with the bad-input classes of issue #14: NUL in every
// string field and as %00 in ids and query parameters, lone surrogates, over-long strings,
// 5,000-deep nesting, unknown keys, wrong types, non-JSON, oversized bodies (declared and
// chunked) and bad enum query parameters, as an admin (API token) and as an anonymous caller.
// It asserts no 5xx, no hang (each call has 5 s), error bodies that stay small, and that a
// rejected request wrote nothing. Routes are discovered on disk (every app/**/route.ts), so a new
// route is fuzzed without editing this file; BASELINES holds a realistic valid request per route
// for the fuzzer to mutate, and a route without one is fuzzed from a generic default.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { prisma } from '../../lib/db';
import { closeQueues } from '../../lib/queue/connection';
import { closeInferEvents } from '../../lib/queue/infer';
import { newId } from '../../lib/shared/ids';
import { createApiToken } from '../../lib/data/api-tokens/create-token';
import { makeProject, makeRankingSets, makeUser } from '../../lib/data/tasks/test-fixtures';
import { importPrompts } from '../../lib/data/prompts/import-prompts';
import { nextTask } from '../../lib/data/tasks/next-task';
import { getTaskView } from '../../lib/data/tasks/get-task-view';
import { submitTask } from '../../lib/data/submissions/submit-task';
import { createUpload } from '../../lib/data/bases/uploads';
import { createExportJob } from '../../lib/data/exports/create-export-job';
import { createSnapshot } from '../../lib/data/snapshots/create-snapshot';

const ROOT = path.resolve(import.meta.dirname, '../..');
const B = 'http://localhost:3000';
const HANG_MS = 5_000;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];
type Params = Record<string, string | string[]>;
type Handler = (req: Request, ctx: { params: Promise<Params> }) => Promise<Response>;

// An error body quotes at most a short prefix of the input; this is generous on purpose.
const MAX_ERROR_BODY_CHARS = 20_000;
const LONG = 'x'.repeat(300_000);

// 503s that are a route's contract here, not a fault: no worker runs in this test, and the
// fixture project has no active policy. Each must answer with its own reason.
const EXPECTED_503: Record<string, RegExp> = {
  'GET /api/health': /^$/, // the health report itself (ok: false, worker down), no error message
  'POST /api/conversations/[id]/suggest': /^No model is active for this project yet/,
};
const DEEP = `${'['.repeat(5000)}${']'.repeat(5000)}`;

type RouteFile = { file: string; template: string; paramNames: string[] };

/** Every app/**\/route.ts, with its URL template (/api/tasks/[id]/submit) and param names. */
function discoverRoutes(): RouteFile[] {
  const out: RouteFile[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'route.ts') {
        const segments = path.relative(path.join(ROOT, 'app'), path.dirname(p)).split(path.sep).filter((s) => !/^\(.*\)$/.test(s));
        const paramNames = segments.filter((s) => s.startsWith('[')).map((s) => s.replace(/^\[(\.\.\.)?/, '').replace(/\]$/, ''));
        out.push({ file: p, template: `/${segments.join('/')}`, paramNames });
      }
    }
  };
  walk(path.join(ROOT, 'app'));
  return out.sort((a, b) => a.template.localeCompare(b.template));
}

type Baseline = {
  params?: Params;
  query?: Record<string, string>;
  /** A JSON body (serialised and mutated), or a raw body with its content type. */
  json?: unknown;
  raw?: { text: string; contentType: string; kind: 'prompts' | 'completion-sets' | 'upload-file' };
};

type Fixtures = {
  adminAuth: Record<string, string>;
  adminId: string;
  projectId: string;
  otherUserId: string;
  spareTokenId: string;
  rankTaskId: string;
  demoTaskId: string;
  convoId: string;
  rootMessageId: string;
  setId: string;
  uploadId: string;
  uploadToDeleteId: string;
  exportJobId: string;
  snapshotId: string;
  tag: string;
};

function baselines(f: Fixtures): Record<string, Baseline> {
  const pid = f.projectId;
  return {
    'GET /api/admin/users': {},
    'POST /api/admin/users': { json: { name: 'Fuzz user', email: `fuzz-${f.tag}@test.hone`, password: 'correct-horse-battery', role: 'LABELER' } },
    'PATCH /api/admin/users/[id]': { params: { id: f.otherUserId }, json: { role: 'LABELER', active: true } },
    'GET /api/auth/[...all]': { params: { all: ['get-session'] } },
    'POST /api/auth/[...all]': { params: { all: ['sign-in', 'email'] }, json: { email: `nobody-${f.tag}@test.hone`, password: 'wrong-password-123' } },
    'POST /api/checkpoints/[id]/promote': { params: { id: `no-such-checkpoint-${f.tag}` }, json: { projectId: pid } },
    'GET /api/checkpoints': { query: { projectId: pid, kind: 'POLICY' } },
    'GET /api/conversations/[id]': { params: { id: f.convoId } },
    'POST /api/conversations/[id]/messages': { params: { id: f.convoId }, json: { parentId: f.rootMessageId, role: 'ASSISTANT', text: 'Bring sandwiches.' } },
    'POST /api/conversations/[id]/suggest': { params: { id: f.convoId }, json: { parentId: f.rootMessageId } },
    'GET /api/export-jobs': {},
    'POST /api/export-jobs': { json: { format: 'trl-preference', filter: { projectId: pid, split: 'train' }, gzip: false } },
    'GET /api/export-jobs/[id]': { params: { id: f.exportJobId } },
    'GET /api/export-jobs/[id]/file': { params: { id: f.exportJobId } },
    'GET /api/exports': {},
    'GET /api/exports/[format]': { params: { format: 'trl-preference' }, query: { projectId: pid, split: 'train', gzip: '1' } },
    'GET /api/gold': { query: { projectId: pid, show: 'gold' } },
    'PUT /api/gold/[setId]': { params: { setId: f.setId }, json: { tiers: [[0], [1], [2], [3]] } },
    'DELETE /api/gold/[setId]': { params: { setId: f.setId } },
    'GET /api/health': {},
    'GET /api/me': {},
    'GET /api/projects': { query: { archived: '1' } },
    'POST /api/projects': { json: { name: 'Fuzz project', description: 'made by the fuzz test', k: 4, overlap: 2 } },
    'GET /api/projects/[id]': { params: { id: pid } },
    'PATCH /api/projects/[id]': { params: { id: pid }, json: { description: 'Fuzzed project', leaseMinutes: 30 } },
    'GET /api/projects/[id]/bases': { params: { id: pid } },
    'POST /api/projects/[id]/bases': { params: { id: pid }, json: { folder: `no-such-folder-${f.tag}`, name: 'Fuzz base' } },
    'POST /api/projects/[id]/bases/uploads': { params: { id: pid } },
    'GET /api/projects/[id]/bases/uploads/[upload]': { params: { id: pid, upload: f.uploadId } },
    // Its own upload: the other upload routes keep theirs.
    'DELETE /api/projects/[id]/bases/uploads/[upload]': { params: { id: pid, upload: f.uploadToDeleteId } },
    'PUT /api/projects/[id]/bases/uploads/[upload]/[file]': {
      params: { id: pid, upload: f.uploadId, file: 'config.json' },
      raw: { text: '{"model_type":"gpt2"}', contentType: 'application/octet-stream', kind: 'upload-file' },
    },
    'POST /api/projects/[id]/completion-sets/import': {
      params: { id: pid },
      raw: { text: JSON.stringify({ prompt: `Fuzz prompt ${f.tag}`, completions: ['one', 'two', 'three', 'four'], model: 'fuzz-model', split: 'train', tags: ['fuzz'] }), contentType: 'application/jsonl', kind: 'completion-sets' },
    },
    'GET /api/projects/[id]/guidelines': { params: { id: pid }, query: { version: '1' } },
    'POST /api/projects/[id]/prompts/import': { params: { id: pid }, query: { format: 'jsonl' }, raw: { text: JSON.stringify({ text: `Fuzz import ${f.tag}`, split: 'val', tags: ['fuzz'] }), contentType: 'application/jsonl', kind: 'prompts' } },
    'POST /api/projects/[id]/conversations/import': { params: { id: pid }, raw: { text: JSON.stringify({ messages: [{ role: 'user', content: `Fuzz question ${f.tag}` }, { role: 'assistant', content: 'An answer.', model: 'fuzz-model' }] }), contentType: 'application/jsonl', kind: 'prompts' } },
    'POST /api/tasks/[id]/suggest': { params: { id: f.demoTaskId } },
    'GET /api/quality': { query: { projectId: pid } },
    'GET /api/quality/sets/[id]': { params: { id: f.setId } },
    'GET /api/rounds': { query: { projectId: pid } },
    'POST /api/rounds': { json: { projectId: pid, start: 'new', preset: 'nano', stages: ['sft'], settings: { sft: { steps: 10 } } } },
    'GET /api/rounds/[id]': { params: { id: `no-such-round-${f.tag}` } },
    'POST /api/rounds/[id]/cancel': { params: { id: `no-such-round-${f.tag}` } },
    'GET /api/rounds/options': {},
    'GET /api/snapshots': { query: { projectId: pid } },
    'POST /api/snapshots': { json: { filter: { projectId: pid, split: 'train' }, kind: 'EXPORT' } },
    'GET /api/snapshots/[id]': { params: { id: f.snapshotId } },
    'GET /api/tasks/[id]': { params: { id: f.rankTaskId } },
    'PUT /api/tasks/[id]/draft': { params: { id: f.rankTaskId }, json: { draft: { notes: 'half done', tiers: [[0, 1], [2]] } } },
    'POST /api/tasks/[id]/draft': { params: { id: f.rankTaskId }, json: { draft: { notes: 'page hidden' } } },
    'POST /api/tasks/[id]/renew': { params: { id: f.rankTaskId } },
    'POST /api/tasks/[id]/skip': { params: { id: f.demoTaskId }, json: { reason: 'Not my area' } },
    'POST /api/tasks/[id]/submit': {
      params: { id: f.rankTaskId },
      json: { kind: 'RANKING', tiers: [[0], [1], [2], [3]], allBad: false, flags: { '0': ['hallucination'] }, comment: 'fine', timeMs: 1000, idempotencyKey: `fuzz-key-${f.tag}` },
    },
    'GET /api/tasks/mine': {},
    'POST /api/tasks/next': { json: { projectId: pid, kind: 'RANKING' } },
    'GET /api/tokens': {},
    'POST /api/tokens': { json: { name: 'fuzz token', expiresInDays: 30 } },
    'DELETE /api/tokens/[id]': { params: { id: f.spareTokenId } },
    'POST /v1/chat/completions': { json: { model: `no-such-model-${f.tag}`, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 16, temperature: 0.5, stream: false } },
    'GET /v1/models': {},
    'GET /api/projects/[id]/data': { params: { id: pid }, query: { tab: 'sets', q: 'Prompt', split: 'train', status: 'open', gold: 'no', page: '1', pageSize: '10' } },
    'GET /api/projects/[id]/data/items/[type]/[itemId]': { params: { id: pid, type: 'set', itemId: f.setId } },
    'GET /api/arena': { query: { projectId: pid } },
    'POST /api/arena': { json: { projectId: pid, checkpointIds: [`no-such-checkpoint-${f.tag}`, `no-such-checkpoint-2-${f.tag}`], name: 'Fuzz arena', prompts: 5, votesPerBattle: 1, maxNewTokens: 16, temperature: 0.7 } },
    'GET /api/arena/[id]': { params: { id: `no-such-evaluation-${f.tag}` } },
    'POST /api/arena/[id]/close': { params: { id: `no-such-evaluation-${f.tag}` } },
    'GET /api/arena/[id]/results': { params: { id: `no-such-evaluation-${f.tag}` } },
    'GET /api/arena/[id]/export': { params: { id: `no-such-evaluation-${f.tag}` } },
  };
}

/** One request the fuzzer sends: its class (for the counts), URL, params and body. */
type Case = { cls: string; url: string; params: Params; body?: BodyInit; headers?: Record<string, string> };

// A URL cannot carry a lone surrogate (a browser sends U+FFFD); the params object still does.
const encode = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

function urlOf(template: string, params: Params, query: Record<string, string> | URLSearchParams = {}): string {
  const p = template.replace(/\[(\.\.\.)?([^\]]+)\]/g, (_, _dots, name: string) => {
    const v = params[name];
    return Array.isArray(v) ? v.map(encode).join('/') : encode(v ?? 'fuzz');
  });
  const qs = new URLSearchParams(query).toString();
  return `${B}${p}${qs ? `?${qs}` : ''}`;
}

/** Every path in a JSON value, root excluded, at most `limit` of them. */
function nodePaths(value: unknown, limit = 16): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    if (out.length >= limit) return;
    if (p.length) out.push(p);
    if (Array.isArray(v)) v.forEach((c, i) => walk(c, [...p, i]));
    else if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...p, k]);
  };
  walk(value, []);
  return out;
}

function setAt(value: unknown, p: (string | number)[], next: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const k of p.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[p[p.length - 1]] = next;
  return copy;
}

function getAt(value: unknown, p: (string | number)[]): unknown {
  return p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
}

function wrongType(v: unknown): unknown {
  if (typeof v === 'string') return 12345;
  if (typeof v === 'number') return 'twelve';
  if (typeof v === 'boolean') return 'yes';
  if (Array.isArray(v)) return { not: 'a list' };
  if (v && typeof v === 'object') return 'not-an-object';
  return 7;
}

/** A chunked body of `mib` MiB, produced as it is read, so an unbounded reader would take it all. */
function chunkedBody(mib: number): ReadableStream<Uint8Array> {
  let sent = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  return new ReadableStream({
    pull(controller) {
      if (sent >= mib * 1024 * 1024) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

function bodyCases(route: RouteFile, base: Baseline, method: Method): Case[] {
  const params = base.params ?? {};
  const url = urlOf(route.template, params, base.query);
  const cases: Case[] = [];
  const add = (cls: string, body: BodyInit, headers: Record<string, string> = {}) => cases.push({ cls, url, params, body, headers });
  const hasBody = method !== 'GET' && method !== 'DELETE';
  if (!hasBody) return cases;

  if (base.raw?.kind === 'upload-file') {
    // Model files stream to disk with their own (GiB) limit, as designed; only names are fuzzed.
    return cases;
  }
  if (base.raw) {
    const type = { 'content-type': base.raw.contentType };
    const line = JSON.parse(base.raw.text) as Record<string, unknown>;
    const textKey = base.raw.kind === 'prompts' ? 'text' : 'prompt';
    for (const p of nodePaths(line)) {
      const v = getAt(line, p);
      if (typeof v === 'string') {
        add('import: NUL escape in a field', JSON.stringify(setAt(line, p, `${v}\u0000`)), type);
        add('import: lone surrogate in a field', JSON.stringify(setAt(line, p, `${v}\ud800`)), type);
        add('import: over-long field', JSON.stringify(setAt(line, p, LONG)), type);
      }
      add('import: wrong type', JSON.stringify(setAt(line, p, wrongType(v))), type);
      add('import: 5,000-deep nesting', JSON.stringify(setAt(line, p, '__DEEP__')).replace('"__DEEP__"', DEEP), type);
    }
    add('import: raw NUL byte', `${base.raw.text.slice(0, -2)}\u0000"}`, type);
    add('import: CSV with NUL', `text,split\n"a\u0000b",train\n`, { 'content-type': 'text/csv' });
    add('import: not JSON', '{nope\n', type);
    add('import: empty', '', type);
    if (base.raw.kind === 'completion-sets') add('import: identical completions', JSON.stringify({ ...line, completions: ['same', 'same', 'same', 'same'] }), type);
    const form = new FormData();
    form.set('file', new Blob([`{"${textKey}":"x\\u0000"}`]), 'bad.jsonl');
    add('import: multipart with NUL', form);
    add('oversized: declared Content-Length', 'x', { ...type, 'content-length': String(100 * 1024 * 1024) });
    add('oversized: chunked 100 MiB', chunkedBody(100), type);
    return cases;
  }

  const json = { 'content-type': 'application/json' };
  const value = base.json ?? {};
  for (const p of nodePaths(value)) {
    const v = getAt(value, p);
    if (typeof v === 'string') {
      add('NUL in a string field', JSON.stringify(setAt(value, p, `${v}\u0000`)), json);
      add('lone surrogate in a string field', JSON.stringify(setAt(value, p, `${v}\ud800`)), json);
      add('over-long string field', JSON.stringify(setAt(value, p, LONG)), json);
    }
    add('wrong type', JSON.stringify(setAt(value, p, wrongType(v))), json);
    add('5,000-deep nesting', JSON.stringify(setAt(value, p, '__DEEP__')).replace('"__DEEP__"', DEEP), json);
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    add('unknown key', JSON.stringify({ ...value, unexpectedKey: 'x' }), json);
    add('NUL in a key', JSON.stringify({ ...value, 'bad\u0000key': 'x' }), json);
  }
  add('5,000-deep nesting', DEEP, json);
  add('wrong type', '[]', json);
  add('wrong type', '"a string"', json);
  add('wrong type', 'null', json);
  add('non-JSON', '{nope', json);
  add('non-JSON', '{"a":', { 'content-type': 'text/plain' });
  add('non-JSON', '', json);
  add('oversized: declared Content-Length', '{}', { ...json, 'content-length': String(100 * 1024 * 1024) });
  add('oversized: chunked 100 MiB', chunkedBody(100), json);
  add('oversized: 3 MiB string field', JSON.stringify({ ...(value as object), big: 'x'.repeat(3 * 1024 * 1024) }), json);
  return cases;
}

function paramCases(route: RouteFile, base: Baseline): Case[] {
  const params = base.params ?? {};
  const cases: Case[] = [];
  const body = base.json !== undefined ? JSON.stringify(base.json) : base.raw?.text;
  const headers = base.raw ? { 'content-type': base.raw.contentType } : { 'content-type': 'application/json' };
  for (const name of route.paramNames) {
    const v = params[name] ?? 'fuzz';
    const variants: [string, string][] = [
      ['%00 in a path parameter', '\u0000'],
      ['lone surrogate in a path parameter', '\ud800'],
      ['over-long path parameter', 'y'.repeat(10_000)],
    ];
    for (const [cls, extra] of variants) {
      const next = { ...params, [name]: Array.isArray(v) ? [...v.slice(0, -1), `${v[v.length - 1]}${extra}`] : `${v}${extra}` };
      cases.push({ cls, url: urlOf(route.template, next, base.query), params: next, body, headers });
    }
  }
  const query = base.query ?? {};
  const queryVariants: [string, (v: string) => string][] = [
    ['%00 in a query parameter', (v) => `${v}\u0000`],
    ['bad enum query parameter', () => 'foo'],
    ['over-long query parameter', () => 'q'.repeat(10_000)],
  ];
  for (const name of Object.keys(query)) {
    for (const [cls, mutate] of queryVariants) cases.push({ cls, url: urlOf(route.template, params, { ...query, [name]: mutate(query[name]) }), params, body, headers });
  }
  cases.push({ cls: '%00 in a query parameter', url: urlOf(route.template, params, { ...query, projectId: '\u0000', kind: 'POLICY\u0000' }), params, body, headers });
  cases.push({ cls: '%00 in a query parameter name', url: `${urlOf(route.template, params, query)}${Object.keys(query).length ? '&' : '?'}a%00b=1`, params, body, headers });
  return cases;
}

type Outcome = { template: string; method: Method; who: string; cls: string; status: number | 'hang'; bodyChars: number; message?: string };

async function send(handler: Handler, method: Method, c: Case, auth: Record<string, string>): Promise<{ status: number | 'hang'; text: string }> {
  const req = new Request(c.url, { method, headers: { ...(c.headers ?? {}), ...auth }, body: c.body, ...(c.body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), HANG_MS);
  });
  try {
    // A handler that throws is what Next answers with a 500 and an empty body.
    const answer = Promise.resolve()
      .then(() => handler(req, { params: Promise.resolve(c.params) }))
      .catch((e: unknown) => Response.json({ error: { message: `threw: ${String((e as Error)?.message ?? e).slice(0, 300)}` } }, { status: 500 }));
    const res = await Promise.race([answer, hang]);
    if (res === 'hang') return { status: 'hang', text: '' };
    // A streamed body (an export) must also finish in time.
    const text = await Promise.race([res.text(), hang]);
    if (text === 'hang') return { status: 'hang', text: '' };
    return { status: res.status, text };
  } finally {
    clearTimeout(timer);
  }
}

let f: Fixtures;

/** Rows a rejected request must not have added or removed, scoped to this test's rows. */
async function rowCounts(): Promise<string> {
  const rows = await prisma.$queryRawUnsafe<Record<string, bigint>[]>(
    `SELECT
      (SELECT count(*) FROM "Prompt" WHERE "projectId" = $1) AS prompts,
      (SELECT count(*) FROM "Task" WHERE "projectId" = $1) AS tasks,
      (SELECT count(*) FROM "CompletionSet" WHERE "projectId" = $1) AS sets,
      (SELECT count(*) FROM "Judgement" WHERE "projectId" = $1) AS judgements,
      (SELECT count(*) FROM "Demonstration" WHERE "projectId" = $1) AS demonstrations,
      (SELECT count(*) FROM "Conversation" WHERE "projectId" = $1) AS conversations,
      (SELECT count(*) FROM "Message" WHERE "projectId" = $1) AS messages,
      (SELECT count(*) FROM "Checkpoint" WHERE "projectId" = $1) AS checkpoints,
      (SELECT count(*) FROM "TrainingRound" WHERE "projectId" = $1) AS rounds,
      (SELECT count(*) FROM "DatasetSnapshot" WHERE "projectId" = $1) AS snapshots,
      (SELECT count(*) FROM "ExportJob" WHERE "userId" = $2) AS "exportJobs",
      (SELECT count(*) FROM "ApiToken" WHERE "userId" = $2) AS tokens,
      (SELECT count(*) FROM "User" WHERE email LIKE $3) AS users,
      (SELECT count(*) FROM "Project" WHERE name LIKE 'Fuzz project%') AS projects`,
    f.projectId,
    f.adminId,
    `fuzz-${f.tag}%`,
  );
  return JSON.stringify(rows[0], (_, v) => (typeof v === 'bigint' ? Number(v) : v));
}

beforeAll(async () => {
  const tag = newId();
  const adminId = await makeUser('ADMIN', 'Fuzz admin');
  const { secret } = await createApiToken(adminId, { name: 'fuzz admin' });
  const spare = await createApiToken(adminId, { name: 'fuzz spare (revoked by the fuzz)' });
  const projectId = await makeProject({ name: `Fuzz fixture ${tag}`, overlap: 3 });
  await makeRankingSets(projectId, 3);
  await importPrompts(projectId, '{"text":"Plan a picnic"}\n{"text":"Write a haiku about rain"}\n{"text":"Explain tides"}', 'jsonl', null);
  const rank = (await nextTask(adminId, { projectId, kind: 'RANKING' }))!;
  const dialogue = (await nextTask(adminId, { projectId, kind: 'DIALOGUE' }))!;
  const demo = (await nextTask(adminId, { projectId, kind: 'DEMONSTRATION' }))!;
  const view = await getTaskView(dialogue.taskId, adminId);
  // One judgement by another labeler, so exports and snapshots have something to select.
  const labelerId = await makeUser('LABELER', 'Fuzz labeler');
  const theirs = (await nextTask(labelerId, { projectId, kind: 'RANKING' }))!;
  await submitTask(theirs.taskId, labelerId, { kind: 'RANKING', tiers: [[0], [1], [2], [3]] }, `fuzz-fixture-${tag}`);
  const set = (await prisma.completionSet.findFirst({ where: { projectId }, select: { id: true } }))!;
  const upload = await createUpload(projectId, adminId);
  const job = await createExportJob({ userId: adminId, format: 'trl-preference', filter: { projectId }, gzip: false });
  const snapshot = await createSnapshot({ filter: { projectId }, kind: 'EXPORT', userId: adminId });
  f = {
    adminAuth: { authorization: `Bearer ${secret}` },
    adminId,
    projectId,
    otherUserId: await makeUser('LABELER', 'Fuzz other'),
    spareTokenId: spare.token.id,
    rankTaskId: rank.taskId,
    demoTaskId: demo.taskId,
    convoId: view.dialogue!.conversationId,
    rootMessageId: view.dialogue!.messages[0].id,
    setId: set.id,
    uploadId: upload.id,
    uploadToDeleteId: (await createUpload(projectId, adminId)).id,
    exportJobId: job.id,
    snapshotId: snapshot.id,
    tag,
  };
});

afterAll(async () => {
  await closeInferEvents();
  await closeQueues();
  await prisma.$disconnect();
});

describe('fuzzing every route', () => {
  it('answers every bad input with a 4xx: no 5xx, no hang, small error bodies, nothing half-written', async () => {
    const routes = discoverRoutes();
    expect(routes.length).toBeGreaterThan(40);
    const table = baselines(f);
    const outcomes: Outcome[] = [];
    const halfWritten: string[] = [];
    const withoutBaseline: string[] = [];
    const identities: [string, Record<string, string>][] = [
      ['admin', f.adminAuth],
      ['anonymous', {}],
    ];

    for (const route of routes) {
      const mod = (await import(route.file)) as Partial<Record<Method, Handler>>;
      for (const method of METHODS) {
        const handler = mod[method];
        if (typeof handler !== 'function') continue;
        const key = `${method} ${route.template}`;
        let base = table[key];
        if (!base) {
          withoutBaseline.push(key);
          base = { params: Object.fromEntries(route.paramNames.map((n) => [n, `fuzz-${n}`])), json: method === 'GET' || method === 'DELETE' ? undefined : {} };
        }
        const baseline: Case = {
          cls: 'valid baseline',
          url: urlOf(route.template, base.params ?? {}, base.query),
          params: base.params ?? {},
          body: base.json !== undefined ? JSON.stringify(base.json) : base.raw?.text,
          headers: { 'content-type': base.raw?.contentType ?? 'application/json' },
        };
        const cases = [baseline, ...bodyCases(route, base, method), ...paramCases(route, base)];
        for (const [who, auth] of identities) {
          for (const c of cases) {
            // Streams are single-use: each identity gets a fresh one.
            const fresh = c.body instanceof ReadableStream ? { ...c, body: chunkedBody(100) } : c;
            const before = c.cls === 'valid baseline' ? '' : await rowCounts();
            const { status, text } = await send(handler, method, fresh, auth);
            let message: string | undefined;
            try {
              message = (JSON.parse(text) as { error?: { message?: string } }).error?.message;
            } catch {
              message = undefined;
            }
            outcomes.push({ template: route.template, method, who, cls: c.cls, status, bodyChars: text.length, message });
            if (before && typeof status === 'number' && status >= 400) {
              const after = await rowCounts();
              if (after !== before) halfWritten.push(`${key} as ${who}, ${c.cls} (${status}): ${before} → ${after}`);
            }
          }
        }
      }
    }

    const classOf = (s: number | 'hang') => (s === 'hang' ? 'hang' : `${String(s)[0]}xx`);
    const byClass: Record<string, number> = {};
    for (const o of outcomes) byClass[classOf(o.status)] = (byClass[classOf(o.status)] ?? 0) + 1;
    const byStatus: Record<string, number> = {};
    for (const o of outcomes) byStatus[String(o.status)] = (byStatus[String(o.status)] ?? 0) + 1;
    const pairs = new Set(outcomes.map((o) => `${o.method} ${o.template}`)).size;
    const expected = outcomes.filter((o) => o.status === 503 && EXPECTED_503[`${o.method} ${o.template}`]?.test(o.message ?? ''));
    console.log(`fuzz: ${outcomes.length} requests over ${pairs} route/method pairs (admin token and anonymous); by class ${JSON.stringify(byClass)}; by status ${JSON.stringify(byStatus)}`);
    console.log(`fuzz: ${expected.length} of the 5xx are the expected 503s (${Object.keys(EXPECTED_503).join(', ')})`);
    if (withoutBaseline.length) console.log(`fuzz: fuzzed from a generic baseline (add one to BASELINES): ${withoutBaseline.join(', ')}`);

    const describeOutcome = (o: Outcome) => `${o.method} ${o.template} as ${o.who}, ${o.cls}: ${o.status}${o.message ? ` (${o.message.slice(0, 160)})` : ''}`;
    const expected503 = (o: Outcome) => o.status === 503 && EXPECTED_503[`${o.method} ${o.template}`]?.test(o.message ?? '') === true;
    const failures = outcomes.filter((o) => o.status === 'hang' || (o.status >= 500 && !expected503(o)));
    const bulky = outcomes.filter((o) => typeof o.status === 'number' && o.status >= 400 && o.bodyChars > MAX_ERROR_BODY_CHARS);
    expect(bulky.map((o) => `${describeOutcome(o)} — ${o.bodyChars} characters`)).toEqual([]);
    expect(halfWritten).toEqual([]);
    // On the routes lib/http wraps, each class gets its own answer: 400 naming the field for bad
    // text, depth and unknown keys, 413 for a body past its limit. (/v1 answers in OpenAI's format,
    // better-auth answers its own 4xx, and /api/health reads no input.)
    const wrapped = (o: Outcome) => o.who === 'admin' && o.template.startsWith('/api/') && !o.template.startsWith('/api/auth/') && o.template !== '/api/health';
    const wants = (cls: string) => (cls.startsWith('oversized') ? 413 : /^(NUL|lone surrogate|5,000-deep|unknown key|%00|import: (NUL|lone|raw NUL|CSV with NUL|multipart with NUL|5,000-deep|identical))/.test(cls) ? 400 : null);
    const misanswered = outcomes.filter((o) => wrapped(o) && wants(o.cls) !== null && o.status !== wants(o.cls));
    expect(misanswered.map((o) => `${describeOutcome(o)} (wanted ${wants(o.cls)})`)).toEqual([]);
    // Every class of bad input was refused somewhere with a 4xx.
    for (const cls of ['NUL in a string field', 'lone surrogate in a string field', '5,000-deep nesting', 'unknown key', 'oversized: chunked 100 MiB', '%00 in a path parameter', '%00 in a query parameter', 'bad enum query parameter', 'import: identical completions']) {
      expect(outcomes.some((o) => o.cls === cls && o.who === 'admin' && typeof o.status === 'number' && o.status >= 400 && o.status < 500), cls).toBe(true);
    }
    expect(failures.map(describeOutcome)).toEqual([]);
  }, 600_000);
});
