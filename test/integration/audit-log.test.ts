// The audit log: every family of admin and researcher action writes one row naming its actor
// and project, in the transaction of the change; GET /api/admin/audit filters by actor, action
// (or family) and project, pages on a cursor, and refuses bad filters in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db';
import { closeQueues } from '../../lib/queue/connection';
import { closeFlowProducer } from '../../lib/queue/flows';
import { closeExportPools, exportPool } from '../../lib/data/exports/cursor';
import { seedExportDataset } from '../../lib/data/exports/test-dataset';
import { createProject } from '../../lib/data/projects/create-project';
import { updateProject } from '../../lib/data/projects/update-project';
import { importPrompts } from '../../lib/data/prompts/import-prompts';
import { importCompletionSets } from '../../lib/data/prompts/import-completion-sets';
import { importConversations } from '../../lib/data/conversations/import-conversations';
import { completionLines, makeUser } from '../../lib/data/tasks/test-fixtures';
import { createUser } from '../../lib/data/users/create-user';
import { updateUser } from '../../lib/data/users/update-user';
import { createApiToken } from '../../lib/data/api-tokens/create-token';
import { revokeApiToken } from '../../lib/data/api-tokens/revoke-token';
import { setGold } from '../../lib/data/gold/set-gold';
import { excludeLabeler, includeLabeler } from '../../lib/data/quality/labeler-exclusions';
import { cancelRound } from '../../lib/data/rounds/cancel-round';
import { launchRound } from '../../lib/data/rounds/launch-round';
import { promoteCheckpoint } from '../../lib/data/checkpoints/promote-checkpoint';
import { createSnapshot } from '../../lib/data/snapshots/create-snapshot';
import { createExportJob } from '../../lib/data/exports/create-export-job';
import { listAudit } from '../../lib/data/audit/list-audit';
import { GET } from '@/app/api/admin/audit/route';
import { TINY } from './loop-helpers';

let admin = '';
let researcher = '';
let fixture: Awaited<ReturnType<typeof seedExportDataset>>;
let bearer = '';

const rowsFor = (action: string, targetId?: string) => prisma.auditLog.findMany({ where: { action, ...(targetId ? { targetId } : {}) } });

beforeAll(async () => {
  admin = await makeUser('ADMIN', 'Ann Admin');
  researcher = (await prisma.user.create({ data: { id: `au-r-${Date.now()}`, name: 'Rae Researcher', email: `rae-${Date.now()}@audit.test`, role: 'RESEARCHER' } })).id;
  fixture = await seedExportDataset(exportPool(), 'au');
  bearer = (await createApiToken(admin, { name: 'audit test' })).secret;
});

afterAll(async () => {
  await closeExportPools();
  await closeFlowProducer();
  await closeQueues();
});

describe('every action family is audited', () => {
  it('projects, guidelines and imports', async () => {
    const p = await createProject({ name: 'Audited project', description: '', guidelines: 'v1', k: 4, overlap: 1, mixDemonstration: 1, mixDialogue: 1, mixRanking: 1, leaseMinutes: 30 }, admin);
    const [created] = await rowsFor('project.create', p.id);
    expect(created).toMatchObject({ actorId: admin, projectId: p.id, data: { name: 'Audited project' } });

    await updateProject(p.id, { overlap: 2, guidelines: 'v2' }, admin);
    expect((await rowsFor('project.update', p.id))[0]).toMatchObject({ projectId: p.id, data: { overlap: 2 } });
    expect((await rowsFor('guidelines.update', p.id))[0]).toMatchObject({ projectId: p.id, data: { version: 2 } });
    // Saving the same guidelines again is no new version, and no row.
    await updateProject(p.id, { guidelines: 'v2' }, admin);
    expect(await rowsFor('guidelines.update', p.id)).toHaveLength(1);

    await importPrompts(p.id, '{"prompt":"Audit me"}\n{"prompt":"And me"}', 'jsonl', admin);
    expect((await rowsFor('prompts.import', p.id))[0]).toMatchObject({ actorId: admin, projectId: p.id, data: { imported: 2, format: 'jsonl' } });
    await importCompletionSets(p.id, completionLines(2, 4), admin);
    expect((await rowsFor('completions.import', p.id))[0]).toMatchObject({ actorId: admin, projectId: p.id, data: { sets: 2 } });

    await importConversations(p.id, '{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!","model":"m"}]}', admin);
    expect((await rowsFor('conversations.import', p.id))[0]).toMatchObject({ actorId: admin, projectId: p.id, data: { conversations: 1, messages: 2 } });

    // A refused import writes no row: the audit row is in the import's transaction.
    await expect(importPrompts(p.id, 'not json', 'jsonl', admin)).rejects.toThrow();
    expect(await rowsFor('prompts.import', p.id)).toHaveLength(1);
  });

  it('users and tokens', async () => {
    const u = await createUser({ name: 'Lee', email: `lee-${Date.now()}@audit.test`, password: 'correct horse battery', role: 'LABELER' }, { id: admin, ip: '203.0.113.9' });
    expect((await rowsFor('user.create', u.id))[0]).toMatchObject({ actorId: admin, ip: '203.0.113.9', projectId: null });
    await updateUser(u.id, { role: 'RESEARCHER' }, { id: admin });
    expect((await rowsFor('user.role', u.id))[0]).toMatchObject({ data: { from: 'LABELER', to: 'RESEARCHER', email: u.email } });
    const { token } = await createApiToken(researcher, { name: 'notebook' });
    await revokeApiToken(researcher, token.id);
    expect((await rowsFor('token.create', token.id))[0]).toMatchObject({ actorId: researcher, data: { name: 'notebook' } });
    expect(await rowsFor('token.revoke', token.id)).toHaveLength(1);
  });

  it('gold, rounds, promotions, snapshots and exports carry their project', async () => {
    const projectId = fixture.projectId;
    const setId = fixture.sets[0]!;
    await setGold({ setId, tiers: [[0], [1], [2], [3]], actorId: admin });
    expect((await rowsFor('gold.set', setId))[0]).toMatchObject({ projectId });

    const alice = fixture.users.alice;
    await excludeLabeler({ projectId, userId: alice, actorId: admin });
    await excludeLabeler({ projectId, userId: alice, actorId: admin }); // twice: one exclusion, one row
    await includeLabeler({ projectId, userId: alice, actorId: admin });
    expect((await rowsFor('labeler.exclude', alice)).map((r) => r.projectId)).toEqual([projectId]);
    expect(await rowsFor('labeler.include', alice)).toHaveLength(1);

    await cancelRound(fixture.roundId, admin); // the fixture's round is queued
    expect((await rowsFor('round.cancel', fixture.roundId))[0]).toMatchObject({ actorId: admin, projectId, data: { number: 1 } });
    const launched = await launchRound({ projectId, start: 'new', preset: 'nano', stages: ['sft'], settings: TINY }, admin);
    expect((await rowsFor('round.launch', launched.id))[0]).toMatchObject({ actorId: admin, projectId, data: { number: 2 } });
    await cancelRound(launched.id, admin);

    await promoteCheckpoint('au-ckpt1', { actorId: admin });
    expect((await rowsFor('checkpoint.promote', 'au-ckpt1'))[0]).toMatchObject({ projectId, data: { name: 'policy-r1', auto: false } });

    const snap = await createSnapshot({ filter: { projectId }, userId: researcher });
    expect((await rowsFor('snapshot.create', snap.id))[0]).toMatchObject({ actorId: researcher, projectId, data: { rowCount: snap.rowCount, sha256: snap.sha256 } });

    const job = await createExportJob({ userId: researcher, format: 'pairwise', filter: { projectId } });
    expect((await rowsFor('export.create', job.id))[0]).toMatchObject({ actorId: researcher, projectId, data: { format: 'pairwise' } });
  });

  it('reads as sentences', async () => {
    const page = await listAudit({ projectId: fixture.projectId, action: 'round' });
    expect(page.entries.map((e) => e.summary)).toEqual(['Ann Admin cancelled round 2', 'Ann Admin launched round 2', 'Ann Admin cancelled round 1']);
    expect(page.entries[0]!.project).toEqual({ id: fixture.projectId, name: 'Export fixture' });
  });
});

describe('GET /api/admin/audit', () => {
  const get = async (query: string) => {
    const res = await GET(new Request(`http://localhost:3000/api/admin/audit${query}`, { headers: { authorization: `Bearer ${bearer}` } }), { params: Promise.resolve({}) });
    return { status: res.status, body: (await res.json()) as { entries: { action: string; actor: { id: string } | null; project: { id: string } | null }[]; nextCursor: string | null; error?: { message: string } } };
  };

  it('filters by actor, action or family, and project', async () => {
    const byResearcher = await get(`?actor=${researcher}`);
    expect(byResearcher.status).toBe(200);
    expect(new Set(byResearcher.body.entries.map((e) => e.action))).toEqual(new Set(['token.create', 'token.revoke', 'snapshot.create', 'export.create']));
    const byEmail = await get(`?actor=${encodeURIComponent((await prisma.user.findUniqueOrThrow({ where: { id: researcher } })).email)}`);
    expect(byEmail.body.entries).toHaveLength(byResearcher.body.entries.length);
    const users = await get('?action=user');
    expect(users.body.entries.length).toBeGreaterThanOrEqual(2);
    expect(users.body.entries.every((e) => e.action.startsWith('user.'))).toBe(true);
    const inProject = await get(`?projectId=${fixture.projectId}&action=snapshot.create`);
    expect(inProject.body.entries).toHaveLength(1);
    expect(inProject.body.entries[0]!.project!.id).toBe(fixture.projectId);
  });

  it('pages with a cursor, newest first, without repeating or skipping a row', async () => {
    const all = (await get('?limit=200')).body.entries;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof get>> = await get(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.entries.map((e) => e.action));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.action));
  });

  it('refuses bad filters with 400 in words', async () => {
    const cases: [string, RegExp][] = [
      ['?action=project.explode', /There is no audit action "project\.explode"/],
      ['?actor=nobody', /There is no user with id "nobody"/],
      ['?actor=nobody@example.com', /There is no user with the email "nobody@example.com"/],
      ['?projectId=nowhere', /There is no project with id "nowhere"/],
      ['?cursor=garbage', /This page link is not valid/],
      ['?limit=0', /limit must be a whole number from 1 to 200/],
    ];
    for (const [query, message] of cases) {
      const r = await get(query);
      expect(r.status, query).toBe(400);
      expect(r.body.error!.message, query).toMatch(message);
    }
  });
});
