// Imports prompts from a JSONL or CSV file into a project: all or nothing, duplicates (of
// stored prompts or earlier lines) skipped and counted, tasks created per the task mix.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { newId } from '../../shared/ids';
import { parsePromptFile, type ImportFormat } from './parse-prompt-file';
import { tasksForNewPrompts } from './task-mix';
import { recordAudit } from '../audit/record-audit';

export type PromptImportResult = { imported: number; duplicates: number; tasksCreated: number; rows: number };

export async function importPrompts(projectId: string, body: string, format: ImportFormat, actorId: string | null): Promise<PromptImportResult> {
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { id: true, mixDemonstration: true, mixDialogue: true, mixRanking: true } });
  if (!project) throw new AppError('NOT_FOUND', `No project with id ${projectId}.`);
  const rows = parsePromptFile(body, format);

  const seen = new Set<string>();
  const unique = rows.filter((r) => (seen.has(r.textHash) ? false : (seen.add(r.textHash), true)));
  return prisma.$transaction(
    async (tx) => {
      const inserted = await tx.prompt.createManyAndReturn({
        data: unique.map((r) => ({ id: newId(), projectId, text: r.text, textHash: r.textHash, split: r.split, tags: r.tags, source: 'IMPORT' as const, createdById: actorId })),
        skipDuplicates: true,
        select: { id: true },
      });
      const tasks = tasksForNewPrompts(projectId, inserted.map((p) => p.id), project);
      if (tasks.length) await tx.task.createMany({ data: tasks });
      const result = { imported: inserted.length, duplicates: rows.length - inserted.length, tasksCreated: tasks.length, rows: rows.length };
      await recordAudit(tx, { actorId, action: 'prompts.import', projectId, targetType: 'Project', targetId: projectId, data: { format, ...result } });
      return result;
    },
    { timeout: 120_000 },
  );
}
