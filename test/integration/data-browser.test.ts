// The data browser's use cases on a fixed dataset (lib/data/exports/test-dataset.ts): every
// list's filters, search, pagination and its total, a round's frozen snapshot as a filter, and
// the item pages' data (judgements in full, dialogue context, gold), with 404s across projects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db';
import { closeExportPools, exportPool } from '../../lib/data/exports/cursor';
import { seedExportDataset } from '../../lib/data/exports/test-dataset';
import { importPrompts } from '../../lib/data/prompts/import-prompts';
import { makeProject, makeUser } from '../../lib/data/tasks/test-fixtures';
import { browseData } from '../../lib/data/browse/browse-data';
import { browseFacets } from '../../lib/data/browse/facets';
import { browseSearch, parseBrowseQuery } from '../../lib/data/browse/filters';
import { getDataItem } from '../../lib/data/browse/get-item';

const P = 'br';
const id = (s: string) => `${P}-${s}`;
let projectId = '';
let otherProject = '';

const list = async (params: Record<string, string>, project = projectId) => browseData(project, parseBrowseQuery(params));
const ids = async (params: Record<string, string>, project = projectId) => (await list(params, project)).items.map((i) => i.id);

beforeAll(async () => {
  ({ projectId } = await seedExportDataset(exportPool(), P));
  // Round 1 froze a snapshot holding p1, alice's judgement of s1 and bob's demonstration d2.
  const snap = await prisma.datasetSnapshot.create({
    data: {
      projectId,
      kind: 'ROUND',
      filter: { projectId },
      rowCount: 3,
      sha256: 'f'.repeat(64),
      manifest: {},
      items: { create: [{ ordinal: 0, itemType: 'prompt', itemId: id('p1') }, { ordinal: 1, itemType: 'judgement', itemId: id('j-s1-alice') }, { ordinal: 2, itemType: 'demonstration', itemId: id('d2') }] },
    },
  });
  await prisma.trainingRound.update({ where: { id: id('round1') }, data: { snapshotId: snap.id } });
  otherProject = await makeProject({ mixDemonstration: 1, mixDialogue: 0, mixRanking: 0 });
  await importPrompts(otherProject, Array.from({ length: 30 }, (_, i) => JSON.stringify({ text: `Other prompt ${i}`, split: i % 3 === 0 ? 'test' : 'train' })).join('\n'), 'jsonl', null);
});

afterAll(async () => {
  await closeExportPools();
  await prisma.$disconnect();
});

describe('prompts', () => {
  it('lists newest first, with counts, and filters by split, search and round', async () => {
    const page = await list({ tab: 'prompts' });
    expect(page.items.map((i) => i.id)).toEqual([id('p3'), id('p2'), id('p1')]);
    expect(page).toMatchObject({ total: 3, page: 1, pages: 1 });
    expect(page.tab === 'prompts' && page.items[2]).toMatchObject({ sets: 1, tasks: 2, submissions: 4 }); // s1's 3 judgements + d1
    expect(await ids({ tab: 'prompts', split: 'val' })).toEqual([id('p2')]);
    expect(await ids({ tab: 'prompts', split: 'held-out' })).toEqual([id('p2')]);
    expect(await ids({ tab: 'prompts', split: 'train' })).toEqual([id('p3'), id('p1')]);
    expect(await ids({ tab: 'prompts', q: 'HAIKU' })).toEqual([id('p2')]);
    expect(await ids({ tab: 'prompts', q: id('p3') })).toEqual([id('p3')]);
    expect(await ids({ tab: 'prompts', round: id('round1') })).toEqual([id('p1')]);
  });

  it('lists under a labeler the prompts they wrote, not the ones they imported', async () => {
    const project = await makeProject();
    const dave = await makeUser('ADMIN', 'dave');
    await prisma.prompt.createMany({
      data: [
        { id: `${project}-w`, projectId: project, text: 'Written by dave', textHash: `${project}-w`, source: 'LABELER', createdById: dave },
        { id: `${project}-i`, projectId: project, text: 'Imported by dave', textHash: `${project}-i`, source: 'IMPORT', createdById: dave },
      ],
    });
    expect(await ids({ tab: 'prompts', labeler: dave }, project)).toEqual([`${project}-w`]);
  });

  it('treats % and _ in the search as text, not wildcards', async () => {
    expect(await ids({ tab: 'prompts', q: '%' })).toEqual([]);
    expect(await ids({ tab: 'prompts', q: '_' })).toEqual([]);
  });

  it('pages on the server: a total, no overlap, an empty page past the end', async () => {
    const one = await list({ tab: 'prompts' }, otherProject);
    const two = await list({ tab: 'prompts', page: '2' }, otherProject);
    expect(one).toMatchObject({ total: 30, pageSize: 25, pages: 2 });
    expect(one.items).toHaveLength(25);
    expect(two.items).toHaveLength(5);
    expect(new Set([...one.items, ...two.items].map((i) => i.id)).size).toBe(30);
    expect((await list({ tab: 'prompts', page: '3' }, otherProject)).items).toEqual([]);
    const small = await list({ tab: 'prompts', pageSize: '7', page: '5', split: 'train' }, otherProject);
    expect(small).toMatchObject({ total: 20, pages: 3, page: 5, items: [] });
    expect((await list({ tab: 'prompts', pageSize: '7', page: '3', split: 'train' }, otherProject)).items).toHaveLength(6);
    // Nothing of the other project leaks in.
    expect((await list({ tab: 'prompts', q: 'Other prompt' })).total).toBe(0);
  });
});

describe('completion sets', () => {
  it('filters by gold, task status, labeler, round and searches the completions', async () => {
    expect(await ids({ tab: 'sets' })).toEqual([id('s3'), id('s2'), id('s1')]);
    expect(await ids({ tab: 'sets', gold: 'yes' })).toEqual([id('s2')]);
    expect(await ids({ tab: 'sets', gold: 'no' })).toEqual([id('s3'), id('s1')]);
    expect(await ids({ tab: 'sets', status: 'open' })).toHaveLength(3);
    expect(await ids({ tab: 'sets', status: 'done' })).toEqual([]);
    expect(await ids({ tab: 'sets', labeler: id('carol') })).toEqual([id('s2'), id('s1')]);
    expect(await ids({ tab: 'sets', q: 'porto' })).toEqual([id('s3')]);
    expect(await ids({ tab: 'sets', round: id('round1') })).toEqual([id('s1')]);
    const s1 = (await list({ tab: 'sets', q: id('s1') })).items[0];
    expect(s1).toMatchObject({ k: 4, judgements: 3, sampledByRound: 1, gold: false, taskStatus: 'OPEN', wanted: 3, fromDialogue: false });
  });
});

describe('tasks', () => {
  it('filters by kind, status, labeler and round', async () => {
    expect(await ids({ tab: 'tasks', kind: 'demonstration' })).toEqual([id('t-d2'), id('t-d1')]);
    expect(await ids({ tab: 'tasks', status: 'done' })).toEqual([id('t-d2'), id('t-d1')]);
    expect((await ids({ tab: 'tasks', labeler: id('alice') })).sort()).toEqual([id('t-d1'), id('t-s1'), id('t-s2'), id('t-s3')].sort());
    expect((await ids({ tab: 'tasks', round: id('round1') })).sort()).toEqual([id('t-d2'), id('t-s1')].sort());
    const ranking = (await list({ tab: 'tasks', q: id('t-s2') })).items[0];
    expect(ranking).toMatchObject({ kind: 'RANKING', setId: id('s2'), promptId: id('p2'), split: 'VAL', labelers: 3 });
  });
});

describe('submissions', () => {
  it('lists demonstrations, dialogues and judgements together, newest first', async () => {
    const all = await list({ tab: 'submissions' });
    expect(all.total).toBe(12);
    expect(all.items[0]).toMatchObject({ type: 'demonstration', id: id('d2'), labeler: { name: 'bob' } });
    expect(await ids({ tab: 'submissions', kind: 'conversation' })).toEqual([id('c2'), id('c1')]);
    expect(await ids({ tab: 'submissions', status: 'in-progress' })).toEqual([]);
    expect((await ids({ tab: 'submissions', labeler: id('carol') })).sort()).toEqual([id('c1'), id('j-s1-carol'), id('j-s2-carol')].sort());
    expect(await ids({ tab: 'submissions', q: 'scarecrow' })).toEqual([id('c2')]);
    expect(await ids({ tab: 'submissions', q: 'two decent' })).toEqual([id('j-s2-bob')]);
    expect((await ids({ tab: 'submissions', split: 'val' })).sort()).toEqual([id('d2'), id('j-s2-alice'), id('j-s2-bob'), id('j-s2-carol')].sort());
    expect((await ids({ tab: 'submissions', round: id('round1') })).sort()).toEqual([id('d2'), id('j-s1-alice')].sort());
    const carol = (await list({ tab: 'submissions', q: id('j-s2-carol') })).items[0];
    expect(carol).toMatchObject({ type: 'judgement', allBad: true, flagged: 2, likert: 1, tiers: [[3], [2], [1], [0]] });
  });

  it('marks a dialogue still being written as in progress', async () => {
    await prisma.conversation.update({ where: { id: id('c2') }, data: { submitted: false } });
    try {
      expect(await ids({ tab: 'submissions', status: 'in-progress' })).toEqual([id('c2')]);
      expect((await list({ tab: 'submissions', status: 'submitted' })).total).toBe(11);
    } finally {
      await prisma.conversation.update({ where: { id: id('c2') }, data: { submitted: true } });
    }
  });
});

describe('filters', () => {
  it('refuses, in words, a filter a list does not take, an unknown value and a bad page', () => {
    expect(() => parseBrowseQuery(new URLSearchParams('tab=prompts&status=open'))).toThrow(/prompts list has no status filter/);
    expect(() => parseBrowseQuery(new URLSearchParams('tab=tasks&status=submitted'))).toThrow(/use open, done or cancelled/);
    expect(() => parseBrowseQuery(new URLSearchParams('tab=people'))).toThrow(/use prompts, sets, tasks or submissions/);
    expect(() => parseBrowseQuery(new URLSearchParams('page=0'))).toThrow(/page number must be a whole number/);
    expect(() => parseBrowseQuery(new URLSearchParams('pageSize=101'))).toThrow(/at most 100/);
    expect(parseBrowseQuery(new URLSearchParams('tab=sets&q=&split=&status='))).toMatchObject({ tab: 'sets', q: undefined, split: undefined, status: undefined, page: 1 });
  });

  it('keeps only the filters the next list takes when switching lists', () => {
    const q = parseBrowseQuery(new URLSearchParams('tab=submissions&q=rain&status=submitted&kind=judgement&labeler=u1&page=3'));
    expect(browseSearch(q, { tab: 'tasks', page: 1 })).toBe('tab=tasks&q=rain&labeler=u1');
    expect(browseSearch(q, { tab: 'prompts', page: 1 })).toBe('tab=prompts&q=rain&labeler=u1');
  });

  it('refuses a round of another project and an unknown project', async () => {
    await expect(list({ tab: 'prompts', round: id('round1') }, otherProject)).rejects.toThrow(/names no round of this project/);
    await expect(list({ tab: 'prompts', labeler: 'nobody' })).rejects.toThrow(/names no user/);
    await expect(list({ tab: 'prompts' }, 'no-such-project')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('offers the project’s rounds and labelers as choices', async () => {
    const f = await browseFacets(projectId);
    expect(f.rounds.map((r) => r.number)).toEqual([1]);
    expect(f.labelers.map((l) => l.name)).toEqual(['alice', 'bob', 'carol']);
  });
});

describe('items', () => {
  it('a set: completions, every judgement in full, gold, consensus and the round that used it', async () => {
    const s = await getDataItem(projectId, 'set', id('s2'));
    if (s.type !== 'set') throw new Error('not a set');
    expect(s.completions).toHaveLength(4);
    expect(s.goldTiers).toEqual([[1], [0], [2, 3]]);
    expect(s.task).toMatchObject({ kind: 'RANKING', status: 'OPEN', wanted: 3 });
    expect(s.judgements.map((j) => j.labeler.name)).toEqual(['alice', 'bob', 'carol']);
    expect(s.judgements[1]).toMatchObject({ comment: 'Two decent ones.', tiers: [[0, 1], [2], [3]], likert: 3, guidelineVersion: 2, timeMs: 12000 });
    expect(s.judgements[2]).toMatchObject({ allBad: true, flags: { '3': ['factual_error', 'other'], '0': ['other'] } });
    expect(s.consensus).not.toBeNull();
    expect(s.usedIn).toEqual([]);
    const s1 = await getDataItem(projectId, 'set', id('s1'));
    expect(s1.usedIn.map((u) => u.round?.number)).toEqual([1]);
  });

  it('a set continuing a dialogue shows the turns down to its context', async () => {
    const s = await getDataItem(projectId, 'set', id('s3'));
    expect(s.type === 'set' && s.context?.map((t) => t.text)).toEqual(['Help me plan a trip.', 'Where to, and for how long?', 'Lisbon, 3 days.']);
  });

  it('a dialogue keeps every branch, suggestion and author', async () => {
    const c = await getDataItem(projectId, 'conversation', id('c1'));
    if (c.type !== 'conversation') throw new Error('not a dialogue');
    expect(c.turns).toHaveLength(6);
    expect(c.turns.find((t) => t.id === id('m2'))).toMatchObject({ isSuggestion: true, author: 'model policy-r1' });
    expect(c.sets.map((s) => s.id)).toEqual([id('s3')]);
  });

  it('a prompt, a demonstration and a judgement', async () => {
    const p = await getDataItem(projectId, 'prompt', id('p1'));
    expect(p.type === 'prompt' && [p.sets.length, p.demonstrations.length, p.usedIn.length]).toEqual([1, 1, 1]);
    const d = await getDataItem(projectId, 'demonstration', id('d1'));
    expect(d.type === 'demonstration' && d.labeler.name).toBe('alice');
    const j = await getDataItem(projectId, 'judgement', id('j-s1-carol'));
    expect(j.type === 'judgement' && j.judgement.flags).toEqual({ '2': ['factual_error'] });
  });

  it('is a 404 for an unknown type or id, and for an item of another project', async () => {
    await expect(getDataItem(projectId, 'user', id('alice'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getDataItem(projectId, 'set', 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getDataItem(otherProject, 'set', id('s1'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getDataItem(otherProject, 'prompt', id('p1'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('unreadable input', () => {
  it('answers NUL characters in filters with a 400 and in ids with a 404, before Postgres sees them', async () => {
    expect(() => parseBrowseQuery(new URLSearchParams({ q: 'a\u0000b' }))).toThrow(/search text contains a NUL character/);
    await expect(getDataItem(projectId, 'set', 'a\u0000b')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(browseFacets('a\u0000b')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
