// Use case: an admin marks (or clears) the true order of a ranking set. Gold orders are tiers
// of completion indices like judgements, checked the same way (every completion exactly once).
// A gold set's task moves to the end of the ordinary task order (GOLD_TASK_PRIORITY): with
// honeypots on, "Next task" serves gold sets only as honeypots, and its scan for an ordinary task
// then stops before reaching them instead of stepping over every gold set on each call.
import { Prisma, prisma } from '../../db';
import { tiersProblem, type Tiers } from '../../shared/labeling';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record-audit';

export const GOLD_TASK_PRIORITY = 1_000_000;

export async function setGold(input: { setId: string; tiers: Tiers | null; actorId: string }): Promise<{ setId: string; goldTiers: Tiers | null }> {
  const set = await prisma.completionSet.findUnique({ where: { id: input.setId }, select: { id: true, projectId: true, _count: { select: { completions: true } } } });
  if (!set) throw new AppError('NOT_FOUND', `Ranking set "${input.setId}" does not exist.`);
  if (input.tiers !== null) {
    const problem = tiersProblem(input.tiers, set._count.completions);
    if (problem) throw new AppError('INVALID_INPUT', `This gold order cannot be saved: ${problem}`, [{ path: 'tiers', message: problem }]);
  }
  await prisma.$transaction([
    prisma.completionSet.update({ where: { id: set.id }, data: { goldTiers: input.tiers === null ? Prisma.DbNull : input.tiers } }),
    prisma.task.updateMany({ where: { completionSetId: set.id }, data: { priority: input.tiers === null ? 0 : GOLD_TASK_PRIORITY } }),
    recordAudit(prisma, { actorId: input.actorId, action: input.tiers ? 'gold.set' : 'gold.clear', projectId: set.projectId, targetType: 'CompletionSet', targetId: set.id, data: { tiers: input.tiers } }),
  ]);
  return { setId: set.id, goldTiers: input.tiers };
}
