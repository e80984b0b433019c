// The data browser's JSON API in-process: researchers and admins read lists and items, labelers
// are refused, bad filters are a 400 in words, unknown items a 404 — never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db';
import { createApiToken } from '../../lib/data/api-tokens/create-token';
import { makeProject, makeRankingSets } from '../../lib/data/tasks/test-fixtures';
import { newId } from '../../lib/shared/ids';
import { GET as listRoute } from '@/app/api/projects/[id]/data/route';
import { GET as itemRoute } from '@/app/api/projects/[id]/data/items/[type]/[itemId]/route';

const B = 'http://localhost:3000';
let projectId = '';
const auth: Record<'LABELER' | 'RESEARCHER' | 'ADMIN', Record<string, string>> = { LABELER: {}, RESEARCHER: {}, ADMIN: {} };

beforeAll(async () => {
  projectId = await makeProject({ mixDemonstration: 0, mixDialogue: 0 });
  await makeRankingSets(projectId, 3);
  for (const role of ['LABELER', 'RESEARCHER', 'ADMIN'] as const) {
    const id = newId();
    await prisma.user.create({ data: { id, name: `Browse ${role}`, email: `${id}@test.hone`, role } });
    auth[role] = { authorization: `Bearer ${(await createApiToken(id, { name: 'browse' })).secret}` };
  }
});
afterAll(() => prisma.$disconnect());

const list = (query: string, headers: Record<string, string>, project = projectId) =>
  listRoute(new Request(`${B}/api/projects/${project}/data?${query}`, { headers }), { params: Promise.resolve({ id: project }) });
const item = (type: string, itemId: string, headers: Record<string, string>) =>
  itemRoute(new Request(`${B}/api/projects/${projectId}/data/items/${type}/${itemId}`, { headers }), { params: Promise.resolve({ id: projectId, type, itemId }) });
const message = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;

describe('GET /api/projects/:id/data', () => {
  it('gives researchers and admins a page with its total; labelers get 403', async () => {
    for (const role of ['RESEARCHER', 'ADMIN'] as const) {
      const res = await list('tab=sets&pageSize=2', auth[role]);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { tab: string; total: number; pages: number; items: { id: string; k: number }[] };
      expect(body).toMatchObject({ tab: 'sets', total: 3, pages: 2 });
      expect(body.items).toHaveLength(2);
      expect(body.items[0].k).toBe(4);
    }
    const refused = await list('tab=sets', auth.LABELER);
    expect(refused.status).toBe(403);
    expect(await message(refused)).toMatch(/RESEARCHER role/);
  });

  it('answers bad filters with a 400 that says what to do, and an unknown project with a 404', async () => {
    const res = await list('tab=prompts&status=open', auth.RESEARCHER);
    expect(res.status).toBe(400);
    expect(await message(res)).toBe('The prompts list has no status filter; remove it or pick another list.');
    expect((await list('tab=sets&page=abc', auth.RESEARCHER)).status).toBe(400);
    expect((await list('tab=sets&round=nope', auth.RESEARCHER)).status).toBe(400);
    expect((await list('tab=sets', auth.RESEARCHER, 'no-such-project')).status).toBe(404);
  });
});

describe('GET /api/projects/:id/data/items/:type/:itemId', () => {
  it('returns a set with its completions, and 404 for unknown types and ids', async () => {
    const setId = (await prisma.completionSet.findFirstOrThrow({ where: { projectId } })).id;
    const res = await item('set', setId, auth.RESEARCHER);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { item: { type: string; completions: unknown[] } }).item).toMatchObject({ type: 'set', completions: expect.any(Array) });
    expect((await item('set', 'nope', auth.RESEARCHER)).status).toBe(404);
    expect((await item('user', setId, auth.ADMIN)).status).toBe(404);
    expect((await item('set', setId, auth.LABELER)).status).toBe(403);
  });
});
