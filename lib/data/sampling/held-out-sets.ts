// For measuring the loop (bench:loop): the completion sets of held-out prompts (VAL/TEST) with
// their texts, and how many sets a checkpoint has sampled.
import { prisma } from '../../db';

export async function heldOutCompletionSets(projectId: string): Promise<{ setId: string; prompt: string; completions: string[]; checkpointId: string | null }[]> {
  const sets = await prisma.completionSet.findMany({
    where: { projectId, prompt: { split: { in: ['VAL', 'TEST'] } } },
    select: { id: true, checkpointId: true, prompt: { select: { text: true } }, completions: { orderBy: { index: 'asc' }, select: { text: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return sets.map((s) => ({ setId: s.id, prompt: s.prompt.text, completions: s.completions.map((c) => c.text), checkpointId: s.checkpointId }));
}

export async function heldOutPrompts(projectId: string): Promise<string[]> {
  const rows = await prisma.prompt.findMany({ where: { projectId, split: { in: ['VAL', 'TEST'] } }, select: { text: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }); // an import's prompts share createdAt: id keeps the order (and the bench's seeded replies) the same run to run
  return rows.map((r) => r.text);
}

export async function setsSampledBy(checkpointId: string): Promise<number> {
  return prisma.completionSet.count({ where: { checkpointId } });
}
