import { afterAll, describe, expect, it } from 'vitest';
import { prisma } from '../../db';
import { createProject } from './create-project';
import { updateProject } from './update-project';
import { getProject } from './get-project';
import { getGuidelines } from './get-guidelines';
import { slugify } from './slug';

afterAll(() => prisma.$disconnect());

const base = { description: '', guidelines: 'v1 text', k: 5, overlap: 3, mixDemonstration: 1, mixDialogue: 1, mixRanking: 1, leaseMinutes: 30 };

describe('projects', () => {
  it('creates with guidelines v1 and unique slugs', async () => {
    const a = await createProject({ ...base, name: 'Héllo World!' }, null);
    const b = await createProject({ ...base, name: 'Héllo World!' }, null);
    expect(a.slug).toBe('hello-world');
    expect(b.slug).toBe('hello-world-2');
    expect(await getGuidelines(a.id)).toMatchObject({ version: 1, body: 'v1 text' });
    expect(slugify('***')).toBe('project');
  });

  it('keeps auto-promotion off unless asked, and lets an admin switch it', async () => {
    const { id } = await createProject({ ...base, name: 'Auto' }, null);
    expect((await getProject(id)).autoPromote).toBe(false);
    await updateProject(id, { autoPromote: true }, null);
    expect((await getProject(id)).autoPromote).toBe(true);
  });

  it('versions guidelines only when they change, and validates settings', async () => {
    const { id } = await createProject({ ...base, name: 'Versions' }, null);
    expect((await updateProject(id, { guidelines: 'v1 text', k: 6 }, null)).guidelineVersion).toBe(1);
    expect((await updateProject(id, { guidelines: 'v2 text' }, null)).guidelineVersion).toBe(2);
    const p = await getProject(id);
    expect(p).toMatchObject({ k: 6, guidelines: 'v2 text', guidelineVersion: 2 });
    expect(p.versions.map((v) => v.version)).toEqual([2, 1]);
    expect((await getGuidelines(id, 1)).body).toBe('v1 text');
    await expect(updateProject(id, { k: 12 }, null)).rejects.toThrow(/K must be 4–9/);
    await expect(updateProject(id, { overlap: 0 }, null)).rejects.toThrow(/Overlap/);
    await expect(updateProject('nope', { k: 5 }, null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(createProject({ ...base, name: '  ' }, null)).rejects.toThrow(/Name is required/);
    const { importCompletionSets } = await import('../prompts/import-completion-sets');
    await importCompletionSets(id, JSON.stringify({ prompt: 'p', completions: ['a', 'b', 'c', 'd', 'e', 'f'], model: 'm' }), null);
    await expect(updateProject(id, { k: 4 }, null)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await updateProject(id, { k: 6, overlap: 2 }, null)).id).toBe(id);
  });
});
