// Use case: ranking sets of a project for the gold page — marked ones, or candidates (sets
// with the most judgements first, where a gold order measures the most labelers).
import { Prisma, prisma } from '../../db';
import { AppError } from '../errors';

export type GoldSetItem = { id: string; prompt: string; k: number; judgements: number; gold: boolean; createdAt: string };

export async function listGoldSets(input: { projectId: string; show: 'gold' | 'candidates'; limit?: number }): Promise<GoldSetItem[]> {
  const project = await prisma.project.findUnique({ where: { id: input.projectId }, select: { id: true } });
  if (!project) throw new AppError('NOT_FOUND', `Project "${input.projectId}" does not exist.`);
  const gold = input.show === 'gold';
  const rows = await prisma.completionSet.findMany({
    where: { projectId: input.projectId, goldTiers: gold ? { not: Prisma.DbNull } : { equals: Prisma.DbNull } },
    orderBy: gold ? [{ createdAt: 'desc' }, { id: 'asc' }] : [{ judgements: { _count: 'desc' } }, { createdAt: 'desc' }, { id: 'asc' }],
    take: input.limit ?? 50,
    select: { id: true, createdAt: true, goldTiers: true, prompt: { select: { text: true } }, _count: { select: { completions: true, judgements: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    prompt: r.prompt.text.length > 160 ? `${r.prompt.text.slice(0, 160)}…` : r.prompt.text,
    k: r._count.completions,
    judgements: r._count.judgements,
    gold: r.goldTiers !== null,
    createdAt: r.createdAt.toISOString(),
  }));
}
