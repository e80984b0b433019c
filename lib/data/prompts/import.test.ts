import { afterAll, describe, expect, it } from 'vitest';
import { prisma } from '../../db';
import { makeProject } from '../tasks/test-fixtures';
import { importPrompts } from './import-prompts';
import { importCompletionSets } from './import-completion-sets';

afterAll(() => prisma.$disconnect());

describe('importPrompts', () => {
  it('imports, skips and counts duplicates, and creates tasks per the mix', async () => {
    const projectId = await makeProject({ mixDemonstration: 1, mixDialogue: 2, mixRanking: 1 });
    const r1 = await importPrompts(projectId, 'text,split\nA,train\nB,val\na,test\n', 'csv', null);
    expect(r1).toEqual({ imported: 2, duplicates: 1, tasksCreated: 4, rows: 3 });
    const r2 = await importPrompts(projectId, '{"text":"B"}\n{"text":"C","tags":"x;y"}', 'jsonl', null);
    expect(r2).toEqual({ imported: 1, duplicates: 1, tasksCreated: 2, rows: 2 });
    const kinds = await prisma.task.groupBy({ by: ['kind'], where: { projectId }, _count: { _all: true } });
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k._count._all]))).toEqual({ DEMONSTRATION: 3, DIALOGUE: 3 });
    expect((await prisma.prompt.findFirstOrThrow({ where: { projectId, text: 'C' } })).tags).toEqual(['x', 'y']);
  });

  it('imports nothing from a file with one bad line', async () => {
    const projectId = await makeProject();
    await expect(importPrompts(projectId, '{"text":"fine"}\n{"text":""}', 'jsonl', null)).rejects.toThrow(/line 2, field "text": is empty.*Nothing was imported/);
    expect(await prisma.prompt.count({ where: { projectId } })).toBe(0);
    expect(await prisma.task.count({ where: { projectId } })).toBe(0);
  });

  it('refuses an unknown project', async () => {
    await expect(importPrompts('nope', '{"text":"a"}', 'jsonl', null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('importCompletionSets', () => {
  it('creates ranking tasks wanted = overlap and skips identical sets', async () => {
    const projectId = await makeProject({ k: 4, overlap: 2, mixDemonstration: 0, mixDialogue: 0 });
    const line = JSON.stringify({ prompt: 'Why is the sky blue?', completions: ['a', 'b', 'c', 'd'], model: 'gpt2' });
    const r = await importCompletionSets(projectId, `${line}\n${line}\n${JSON.stringify({ prompt: 'Why is the sky blue?', completions: ['e', 'f', 'g', 'h'], model: 'gpt2' })}`, null);
    expect(r).toEqual({ sets: 2, duplicates: 1, promptsCreated: 1, tasksCreated: 2, rows: 3 });
    const tasks = await prisma.task.findMany({ where: { projectId }, select: { kind: true, wanted: true } });
    expect(tasks).toEqual([{ kind: 'RANKING', wanted: 2 }, { kind: 'RANKING', wanted: 2 }]);
    await expect(importCompletionSets(projectId, '{"prompt":"x","completions":["a","b","c"],"model":"m"}', null)).rejects.toThrow(/K = 4/);
    expect(await prisma.completionSet.count({ where: { projectId } })).toBe(2);
  });
});
