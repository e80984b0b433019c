// The labeling routes end to end in-process (no server): token auth, JSON errors, status codes.
// Here, not in lib/data, because it imports app/ routes (lib/ never imports app/).
import { afterAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db';
import { createApiToken } from '../../lib/data/api-tokens/create-token';
import { makeProject, makeRankingSets, makeUser } from '../../lib/data/tasks/test-fixtures';
import { POST as nextRoute } from '@/app/api/tasks/next/route';
import { POST as submitRoute } from '@/app/api/tasks/[id]/submit/route';
import { PUT as draftRoute } from '@/app/api/tasks/[id]/draft/route';
import { POST as importRoute } from '@/app/api/projects/[id]/prompts/import/route';
import { PATCH as projectPatchRoute } from '@/app/api/projects/[id]/route';

afterAll(() => prisma.$disconnect());

const B = 'http://localhost:3000';
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
async function token(role: 'LABELER' | 'ADMIN' = 'LABELER') {
  const userId = await makeUser(role);
  const { secret } = await createApiToken(userId, { name: 'test' });
  return { userId, auth: { authorization: `Bearer ${secret}` } };
}
const post = (path: string, headers: Record<string, string>, body?: string, method = 'POST') =>
  new Request(`${B}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body });

describe('labeling HTTP API', () => {
  it('leases, submits idempotently by header, and answers errors as JSON', async () => {
    const projectId = await makeProject({ mixDemonstration: 0, mixDialogue: 0 });
    await makeRankingSets(projectId, 2);
    const a = await token();
    const b = await token();

    const unauth = await nextRoute(post('/api/tasks/next', {}, '{}'), ctx(''));
    expect(unauth.status).toBe(401);

    const n = await nextRoute(post('/api/tasks/next', a.auth, JSON.stringify({ projectId })), ctx(''));
    expect(n.status).toBe(200);
    const { task } = (await n.json()) as { task: { taskId: string } };

    const body = JSON.stringify({ kind: 'RANKING', tiers: [[0], [1], [2], [3]] });
    const bad = await submitRoute(post(`/api/tasks/${task.taskId}/submit`, { ...a.auth, 'idempotency-key': 'hdr-key-0001' }, JSON.stringify({ kind: 'RANKING', tiers: [[0], [1], [1], [3]] })), ctx(task.taskId));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/Completion 1 appears twice/);

    const notJson = await submitRoute(post(`/api/tasks/${task.taskId}/submit`, a.auth, '{nope'), ctx(task.taskId));
    expect(notJson.status).toBe(400);

    const other = await submitRoute(post(`/api/tasks/${task.taskId}/submit`, b.auth, body), ctx(task.taskId));
    expect(other.status).toBe(403);
    const unknown = await submitRoute(post('/api/tasks/nope/submit', a.auth, body), ctx('nope'));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND', message: 'No task with id nope.' } });

    const first = await submitRoute(post(`/api/tasks/${task.taskId}/submit`, { ...a.auth, 'idempotency-key': 'hdr-key-0001' }, body), ctx(task.taskId));
    expect(first.status).toBe(201);
    const again = await submitRoute(post(`/api/tasks/${task.taskId}/submit`, { ...a.auth, 'idempotency-key': 'hdr-key-0001' }, body), ctx(task.taskId));
    expect(again.status).toBe(200);
    const [x, y] = (await Promise.all([first.json(), again.json()])) as { submission: { submissionId: string; duplicate: boolean } }[];
    expect(y.submission).toMatchObject({ submissionId: x.submission.submissionId, duplicate: true });
    expect(await prisma.judgement.count({ where: { taskId: task.taskId } })).toBe(1);

    const lateDraft = await draftRoute(post(`/api/tasks/${task.taskId}/draft`, a.auth, JSON.stringify({ draft: { x: 1 } }), 'PUT'), ctx(task.taskId));
    expect(lateDraft.status).toBe(409);
  });

  it('answers a bad sampling setting with 400 naming the field, and merges a partial one', async () => {
    const projectId = await makeProject();
    const admin = await token('ADMIN');
    const patch = (body: unknown) => projectPatchRoute(post(`/api/projects/${projectId}`, admin.auth, JSON.stringify(body), 'PATCH'), ctx(projectId));
    const bad = await patch({ samplingParams: { temperature: 3 } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 'INVALID_INPUT', message: 'Temperature must be above 0 and at most 2', details: [{ path: 'samplingParams.temperature' }] },
    });
    const ok = await patch({ samplingParams: { maxPrompts: 1000 } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { project: { samplingParams: unknown } }).project.samplingParams).toEqual({ temperature: 1, topP: 1, maxTokens: 48, maxPrompts: 1000, bestOf: 1 });
  });

  it('imports nothing from a malformed file and names the line and field; labelers may not import', async () => {
    const projectId = await makeProject();
    const admin = await token('ADMIN');
    const labeler = await token('LABELER');
    const file = 'text,split\nfine,train\n,val\nalso fine,dev\n';
    const res = await importRoute(post(`/api/projects/${projectId}/prompts/import?format=csv`, { ...admin.auth, 'content-type': 'text/csv' }, file), ctx(projectId));
    expect(res.status).toBe(400);
    const err = (await res.json()) as { error: { message: string; details: { issues: { line: number; field: string }[] } } };
    expect(err.error.message).toMatch(/line 3, field "text": is empty/);
    expect(err.error.details.issues.map((i) => [i.line, i.field])).toEqual([
      [3, 'text'],
      [4, 'split'],
    ]);
    expect(await prisma.prompt.count({ where: { projectId } })).toBe(0);
    const forbidden = await importRoute(post(`/api/projects/${projectId}/prompts/import`, { ...labeler.auth, 'content-type': 'text/csv' }, 'text\nhello'), ctx(projectId));
    expect(forbidden.status).toBe(403);
    const ok = await importRoute(post(`/api/projects/${projectId}/prompts/import`, { ...admin.auth, 'content-type': 'text/csv' }, 'text\nhello\nhello\n'), ctx(projectId));
    expect(await ok.json()).toEqual({
      result: { imported: 1, duplicates: 1, tasksCreated: 2, rows: 2 },
      // new prompts ask the active policy for completions; this project has none yet
      sampling: { queued: false, reason: expect.stringMatching(/No policy is active/) },
    });
  });
});
