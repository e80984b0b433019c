import { afterAll, describe, expect, it } from 'vitest';
import { prisma } from '../../db';
import { createProject } from './create-project';
import { updateProject } from './update-project';
import { getProject } from './get-project';
import { getGuidelines } from './get-guidelines';
import { slugify } from './slug';
import { samplingParams } from '../sampling/params';

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

  it('stores sampling settings on create, filling the ones left out with defaults', async () => {
    const { id } = await createProject({ ...base, name: 'Sampling', samplingParams: { temperature: 0.7, maxPrompts: 1000 } }, null);
    expect((await getProject(id)).samplingParams).toEqual({ temperature: 0.7, topP: 1, maxTokens: 48, maxPrompts: 1000, bestOf: 1 });
    const plain = await createProject({ ...base, name: 'Sampling defaults' }, null);
    expect((await getProject(plain.id)).samplingParams).toEqual({ temperature: 1, topP: 1, maxTokens: 48, maxPrompts: 256, bestOf: 1 });
  });

  it('patches one sampling setting and keeps the others', async () => {
    const { id } = await createProject({ ...base, name: 'Sampling patch', samplingParams: { temperature: 0.5, topP: 0.9, maxTokens: 64 } }, null);
    await updateProject(id, { samplingParams: { maxPrompts: 1000 } }, null);
    expect((await getProject(id)).samplingParams).toEqual({ temperature: 0.5, topP: 0.9, maxTokens: 64, maxPrompts: 1000, bestOf: 1 });
    await updateProject(id, { samplingParams: { bestOf: 4 } }, null);
    expect((await getProject(id)).samplingParams.bestOf).toBe(4);
    await updateProject(id, { samplingParams: { bestOf: 1 } }, null);
    await updateProject(id, { k: 5 }, null); // other edits leave sampling alone
    expect((await getProject(id)).samplingParams).toEqual({ temperature: 0.5, topP: 0.9, maxTokens: 64, maxPrompts: 1000, bestOf: 1 });
  });

  it('rejects out-of-range or unknown sampling settings, naming the field', async () => {
    const { id } = await createProject({ ...base, name: 'Sampling bounds' }, null);
    await expect(updateProject(id, { samplingParams: { temperature: 0 } }, null)).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ['samplingParams', 'temperature'], message: 'Temperature must be above 0 and at most 2' })],
    });
    await expect(updateProject(id, { samplingParams: { topP: 1.5 } }, null)).rejects.toThrow(/Top-p must be above 0 and at most 1/);
    await expect(updateProject(id, { samplingParams: { maxTokens: 2.5 } }, null)).rejects.toThrow(/Max tokens/);
    await expect(updateProject(id, { samplingParams: { seed: 1 } as never }, null)).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ['samplingParams'], message: expect.stringMatching(/seed/) })],
    });
    await expect(createProject({ ...base, name: 'Too many', samplingParams: { maxPrompts: 10_001 } }, null)).rejects.toThrow(/Prompts per promotion/);
    await expect(updateProject(id, { samplingParams: { bestOf: 17 } }, null)).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ['samplingParams', 'bestOf'], message: 'Best of n must be a whole number from 1 (off) to 16' })],
    });
    await expect(updateProject(id, { samplingParams: { bestOf: 0 } }, null)).rejects.toThrow(/Best of n/);
    await expect(updateProject(id, { samplingParams: { bestOf: 2.5 } }, null)).rejects.toThrow(/Best of n/);
    expect((await getProject(id)).samplingParams).toEqual({ temperature: 1, topP: 1, maxTokens: 48, maxPrompts: 256, bestOf: 1 });
  });

  it('fills defaults for stored sampling settings that are missing or bad', async () => {
    const { id } = await createProject({ ...base, name: 'Sampling stored' }, null);
    await prisma.project.update({ where: { id }, data: { samplingParams: { temperature: 0.8, topP: 7, extra: true } } });
    expect((await getProject(id)).samplingParams).toEqual({ temperature: 0.8, topP: 1, maxTokens: 48, maxPrompts: 256, bestOf: 1 });
    await prisma.project.update({ where: { id }, data: { samplingParams: {} } });
    expect((await getProject(id)).samplingParams).toEqual({ temperature: 1, topP: 1, maxTokens: 48, maxPrompts: 256, bestOf: 1 });
    expect(samplingParams(null)).toEqual({ temperature: 1, topP: 1, maxTokens: 48, maxPrompts: 256, bestOf: 1 });
    expect(samplingParams([1, 2])).toEqual({ temperature: 1, topP: 1, maxTokens: 48, maxPrompts: 256, bestOf: 1 });
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
    await expect(createProject({ ...base, name: '  ' }, null)).rejects.toThrow(/Enter a name for the project/);
    const { importCompletionSets } = await import('../prompts/import-completion-sets');
    await importCompletionSets(id, JSON.stringify({ prompt: 'p', completions: ['a', 'b', 'c', 'd', 'e', 'f'], model: 'm' }), null);
    await expect(updateProject(id, { k: 4 }, null)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await updateProject(id, { k: 6, overlap: 2 }, null)).id).toBe(id);
  });
});
