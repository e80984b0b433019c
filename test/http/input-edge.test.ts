// The bad inputs issue #14's probe found, one by one through the real routes in-process: each is a
// clear 4xx naming what was wrong, read no further than needed, and leaves nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db';
import { createApiToken } from '../../lib/data/api-tokens/create-token';
import { makeProject, makeRankingSets, makeUser } from '../../lib/data/tasks/test-fixtures';
import { importPrompts } from '../../lib/data/prompts/import-prompts';
import { nextTask } from '../../lib/data/tasks/next-task';
import { getTaskView } from '../../lib/data/tasks/get-task-view';
import { BODY_LIMITS } from '../../lib/http';
import { GET as checkpointsRoute } from '@/app/api/checkpoints/route';
import { GET as goldRoute } from '@/app/api/gold/route';
import { GET as taskRoute } from '@/app/api/tasks/[id]/route';
import { PUT as draftRoute } from '@/app/api/tasks/[id]/draft/route';
import { POST as messagesRoute } from '@/app/api/conversations/[id]/messages/route';
import { POST as tokensRoute } from '@/app/api/tokens/route';
import { POST as completionImportRoute } from '@/app/api/projects/[id]/completion-sets/import/route';
import { POST as promptImportRoute } from '@/app/api/projects/[id]/prompts/import/route';
import { POST as authPost } from '@/app/api/auth/[...all]/route';
import { createUser } from '../../lib/data/users/create-user';
import { newId } from '../../lib/shared/ids';

afterAll(() => prisma.$disconnect());

const B = 'http://localhost:3000';
const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
type ErrorJson = { error: { code: string; message: string; details?: unknown } };

let auth: Record<string, string>;
let adminId: string;
let projectId: string;

beforeAll(async () => {
  adminId = await makeUser('ADMIN', 'Edge admin');
  auth = { authorization: `Bearer ${(await createApiToken(adminId, { name: 'edge' })).secret}` };
  projectId = await makeProject();
  await makeRankingSets(projectId, 1);
  await importPrompts(projectId, '{"text":"Plan a picnic"}', 'jsonl', null);
});

const request = (path: string, method: string, body?: BodyInit, headers: Record<string, string> = {}) =>
  new Request(`${B}${path}`, { method, headers: { 'content-type': 'application/json', ...auth, ...headers }, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);

/** A chunked body of `mib` MiB of JSONL lines, produced as read; `read` counts the bytes taken. */
function chunkedImport(mib: number) {
  const read = { bytes: 0 };
  const line = new TextEncoder().encode(`${JSON.stringify({ text: 'x'.repeat(1000) })}\n`);
  const chunk = new Uint8Array(64 * line.length);
  for (let i = 0; i < 64; i++) chunk.set(line, i * line.length);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (read.bytes >= mib * 1024 * 1024) return controller.close();
      read.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, read };
}

describe('input at the edge', () => {
  it('answers GET /api/checkpoints?kind=foo and ?show=foo with a 400 listing the allowed values', async () => {
    const kind = await checkpointsRoute(request('/api/checkpoints?kind=foo', 'GET'), ctx({}));
    expect(kind.status).toBe(400);
    expect(((await kind.json()) as ErrorJson).error.message).toBe('kind: "foo" is not allowed; use one of BASE, SFT, RM, POLICY.');
    const ok = await checkpointsRoute(request(`/api/checkpoints?kind=POLICY&projectId=${projectId}`, 'GET'), ctx({}));
    expect(ok.status).toBe(200);
    const show = await goldRoute(request(`/api/gold?projectId=${projectId}&show=foo`, 'GET'), ctx({}));
    expect(((await show.json()) as ErrorJson).error.message).toBe('show: "foo" is not allowed; use one of gold, candidates.');
  });

  it('refuses %00 in a path or query parameter with a 400 naming it', async () => {
    const res = await taskRoute(request('/api/tasks/abc%00', 'GET'), ctx({ id: 'abc\u0000' }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorJson).error.message).toBe('id (path parameter): contains a NUL character (\\u0000) at position 3; remove it.');
    const q = await checkpointsRoute(request('/api/checkpoints?projectId=%00', 'GET'), ctx({}));
    expect(((await q.json()) as ErrorJson).error.message).toMatch(/^projectId \(query parameter\): contains a NUL character/);
  });

  it('refuses a lone surrogate in a draft and a 5,000-deep role, naming the field', async () => {
    const lease = (await nextTask(adminId, { projectId, kind: 'RANKING' }))!;
    const draft = await draftRoute(request(`/api/tasks/${lease.taskId}/draft`, 'PUT', '{"draft":{"notes":"half \\ud83d done"}}'), ctx({ id: lease.taskId }));
    expect(draft.status).toBe(400);
    expect(((await draft.json()) as ErrorJson).error.message).toBe('draft.notes: contains a lone UTF-16 surrogate (\\ud83d) at position 5, which is not valid Unicode.');

    const dialogue = (await nextTask(adminId, { projectId, kind: 'DIALOGUE' }))!;
    const view = await getTaskView(dialogue.taskId, adminId);
    const convoId = view.dialogue!.conversationId;
    const before = await prisma.message.count({ where: { conversationId: convoId } });
    const deep = `{"parentId":"${view.dialogue!.messages[0].id}","role":${'['.repeat(5000)}${']'.repeat(5000)},"text":"hi"}`;
    const res = await messagesRoute(request(`/api/conversations/${convoId}/messages`, 'POST', deep), ctx({ id: convoId }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorJson).error.message).toMatch(/^The JSON body is nested deeper than 64 levels \(at role\.0\.0\.0/);
    const nul = await messagesRoute(request(`/api/conversations/${convoId}/messages`, 'POST', JSON.stringify({ parentId: view.dialogue!.messages[0].id, role: 'ASSISTANT', text: 'a\u0000b' })), ctx({ id: convoId }));
    expect(((await nul.json()) as ErrorJson).error.message).toBe('text: contains a NUL character (\\u0000) at position 1; remove it.');
    expect(await prisma.message.count({ where: { conversationId: convoId } })).toBe(before);
  });

  it('refuses unknown keys in POST /api/tokens and quotes at most a short prefix of a 10 MB field', async () => {
    const unknown = await tokensRoute(request('/api/tokens', 'POST', JSON.stringify({ name: 'x', admin: true })), ctx({}));
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ErrorJson).error.message).toMatch(/“admin” is not a setting Hone knows; remove it/);
    // 900 KiB of key name (under the 1 MiB limit): the error quotes a prefix only.
    const huge = await tokensRoute(request('/api/tokens', 'POST', JSON.stringify({ name: 'x', ['k'.repeat(900 * 1024)]: 1 })), ctx({}));
    expect(huge.status).toBe(400);
    expect((await huge.text()).length).toBeLessThan(2_000);
    expect(await prisma.apiToken.count({ where: { userId: adminId } })).toBe(1);
  });

  it('refuses a draft past its body limit with 413 before reading it', async () => {
    const lease = (await nextTask(adminId, { projectId, kind: 'DEMONSTRATION' }))!;
    const res = await draftRoute(request(`/api/tasks/${lease.taskId}/draft`, 'PUT', '{}', { 'content-length': String(100 * 1024 * 1024) }), ctx({ id: lease.taskId }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than the 2 MiB this endpoint accepts. Nothing was read or stored.' } });
  });

  it('stops reading a 100 MiB chunked import just past its limit and imports nothing', async () => {
    const before = await prisma.prompt.count({ where: { projectId } });
    const { stream, read } = chunkedImport(100);
    const started = Date.now();
    const res = await promptImportRoute(request(`/api/projects/${projectId}/prompts/import?format=jsonl`, 'POST', stream, { 'content-type': 'application/jsonl' }), ctx({ id: projectId }));
    const ms = Date.now() - started;
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorJson).error.message).toMatch(/^The import file is larger than the 20\.06 MiB this endpoint accepts/);
    // The stream may have one chunk queued ahead of the reader; nothing more was pulled.
    expect(read.bytes).toBeLessThan(BODY_LIMITS.import + 3 * 66 * 1024);
    console.log(`input-edge: a 100 MiB chunked import was refused with 413 after reading ${(read.bytes / 1024 / 1024).toFixed(1)} MiB in ${ms} ms`);
    expect(await prisma.prompt.count({ where: { projectId } })).toBe(before);
  });

  it('checks sign-in input before better-auth, and a good sign-in still works through the check', async () => {
    const email = `edge-${newId()}@test.hone`;
    await createUser({ name: 'Edge', email, password: 'correct-horse-battery', role: 'LABELER' }, { id: null });
    const signIn = (body: string) => authPost(new Request(`${B}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    const nul = await signIn(JSON.stringify({ email: `${email}\u0000`, password: 'correct-horse-battery' }));
    expect(nul.status).toBe(400);
    expect(((await nul.json()) as ErrorJson).error.message).toMatch(/^email: contains a NUL character/);
    const ok = await signIn(JSON.stringify({ email, password: 'correct-horse-battery' }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/session_token/);
  });

  it('still reads a multipart upload within the limit', async () => {
    const form = new FormData();
    form.set('file', new Blob(['{"text":"From a form upload"}\n']), 'prompts.jsonl');
    const res = await promptImportRoute(new Request(`${B}/api/projects/${projectId}/prompts/import`, { method: 'POST', headers: auth, body: form }), ctx({ id: projectId }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ result: { imported: 1, rows: 1 } });
  });

  it('refuses a completion set of identical completions and writes nothing', async () => {
    const counts = async () => [await prisma.prompt.count({ where: { projectId } }), await prisma.completionSet.count({ where: { projectId } }), await prisma.task.count({ where: { projectId } })];
    const before = await counts();
    const file = [
      JSON.stringify({ prompt: 'A fine prompt', completions: ['a', 'b', 'c', 'd'], model: 'm' }),
      JSON.stringify({ prompt: 'Four of a kind', completions: ['same', 'same', 'same', 'same'], model: 'm' }),
    ].join('\n');
    const res = await completionImportRoute(request(`/api/projects/${projectId}/completion-sets/import`, 'POST', file, { 'content-type': 'application/jsonl' }), ctx({ id: projectId }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorJson).error.message).toBe(
      'The file has errors: line 2, field "completions[1]": repeats completions[0]; the 4 completions of a set must all differ. Nothing was imported.',
    );
    const nul = await completionImportRoute(request(`/api/projects/${projectId}/completion-sets/import`, 'POST', JSON.stringify({ prompt: 'p\u0000', completions: ['a', 'b', 'c', 'd'], model: 'm' }), { 'content-type': 'application/jsonl' }), ctx({ id: projectId }));
    expect(((await nul.json()) as ErrorJson).error.message).toMatch(/line 1, field "prompt": contains a NUL character/);
    expect(await counts()).toEqual(before);
  });
});
