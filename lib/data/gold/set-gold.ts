// Use case: an admin marks (or clears) the true order of a ranking set. Gold orders are tiers
// of completion indices like judgements, checked the same way (every completion exactly once).
import { Prisma, prisma } from '../../db';
import { tiersProblem, type Tiers } from '../../shared/labeling';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record-audit';

export async function setGold(input: { setId: string; tiers: Tiers | null; actorId: string }): Promise<{ setId: string; goldTiers: Tiers | null }> {
  const set = await prisma.completionSet.findUnique({ where: { id: input.setId }, select: { id: true, projectId: true, _count: { select: { completions: true } } } });
  if (!set) throw new AppError('NOT_FOUND', `Ranking set "${input.setId}" does not exist.`);
  if (input.tiers !== null) {
    const problem = tiersProblem(input.tiers, set._count.completions);
    if (problem) throw new AppError('INVALID_INPUT', `This gold order cannot be saved: ${problem}`, [{ path: 'tiers', message: problem }]);
  }
  await prisma.$transaction([
    prisma.completionSet.update({ where: { id: set.id }, data: { goldTiers: input.tiers === null ? Prisma.DbNull : input.tiers } }),
    recordAudit(prisma, { actorId: input.actorId, action: input.tiers ? 'gold.set' : 'gold.clear', projectId: set.projectId, targetType: 'CompletionSet', targetId: set.id, data: { tiers: input.tiers } }),
  ]);
  return { setId: set.id, goldTiers: input.tiers };
}
