// Imports completion sets (prompt + K completions + source model) so ranking works before the
// training loop exists. Each new set becomes a RANKING task wanted by `overlap` labelers.
// Prompts are matched by normalised text (new ones are created, with tasks per the task mix);
// a set whose prompt and completions equal a stored set is a duplicate: skipped and counted.
import { createHash, randomInt } from 'node:crypto';
import { prisma } from '../../db';
import { AppError } from '../errors';
import { newId } from '../../shared/ids';
import { parseCompletionFile } from './parse-completion-file';
import { tasksForNewPrompts } from './task-mix';
import { recordAudit } from '../audit/record-audit';

export type CompletionImportResult = { sets: number; duplicates: number; promptsCreated: number; tasksCreated: number; rows: number };

const setKey = (promptId: string, completions: string[]) => createHash('sha256').update(JSON.stringify([promptId, completions])).digest('hex');

export async function importCompletionSets(projectId: string, body: string, actorId: string | null): Promise<CompletionImportResult> {
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { id: true, k: true, overlap: true, mixDemonstration: true, mixDialogue: true, mixRanking: true } });
  if (!project) throw new AppError('NOT_FOUND', `No project with id ${projectId}.`);
  const rows = parseCompletionFile(body, project.k);

  return prisma.$transaction(
    async (tx) => {
      const firstByHash = new Map<string, (typeof rows)[number]>();
      for (const r of rows) if (!firstByHash.has(r.promptHash)) firstByHash.set(r.promptHash, r);
      const created = await tx.prompt.createManyAndReturn({
        data: [...firstByHash.values()].map((r) => ({ id: newId(), projectId, text: r.prompt, textHash: r.promptHash, split: r.split, tags: r.tags, source: 'IMPORT' as const, createdById: actorId })),
        skipDuplicates: true,
        select: { id: true },
      });
      const prompts = await tx.prompt.findMany({ where: { projectId, textHash: { in: [...firstByHash.keys()] } }, select: { id: true, textHash: true } });
      const promptIdByHash = new Map(prompts.map((p) => [p.textHash, p.id]));

      const existing = await tx.completionSet.findMany({
        where: { projectId, promptId: { in: prompts.map((p) => p.id) } },
        select: { promptId: true, completions: { orderBy: { index: 'asc' }, select: { text: true } } },
      });
      const known = new Set(existing.map((s) => setKey(s.promptId, s.completions.map((c) => c.text))));

      const sets: { id: string; projectId: string; promptId: string; sourceModel: string; displaySeed: number }[] = [];
      const completions: { id: string; setId: string; index: number; text: string }[] = [];
      const tasks: { id: string; projectId: string; kind: 'RANKING'; completionSetId: string; promptId: string; wanted: number }[] = [];
      let duplicates = 0;
      for (const r of rows) {
        const promptId = promptIdByHash.get(r.promptHash)!;
        const key = setKey(promptId, r.completions);
        if (known.has(key)) {
          duplicates++;
          continue;
        }
        known.add(key);
        const setId = newId();
        sets.push({ id: setId, projectId, promptId, sourceModel: r.model, displaySeed: randomInt(0, 2 ** 31 - 1) });
        r.completions.forEach((text, index) => completions.push({ id: newId(), setId, index, text }));
        tasks.push({ id: newId(), projectId, kind: 'RANKING', completionSetId: setId, promptId, wanted: project.overlap });
      }
      const promptTasks = tasksForNewPrompts(projectId, created.map((p) => p.id), project);
      if (sets.length) {
        await tx.completionSet.createMany({ data: sets });
        await tx.completion.createMany({ data: completions });
      }
      if (tasks.length || promptTasks.length) await tx.task.createMany({ data: [...tasks, ...promptTasks] });
      const result = { sets: sets.length, duplicates, promptsCreated: created.length, tasksCreated: tasks.length + promptTasks.length, rows: rows.length };
      await recordAudit(tx, { actorId, action: 'completions.import', projectId, targetType: 'Project', targetId: projectId, data: result });
      return result;
    },
    { timeout: 300_000 },
  );
}
