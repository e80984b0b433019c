// What the arena start form offers: each live project with its held-out prompt count and the
// checkpoints that can write replies (policy, SFT, base; ready or failed evaluation), newest first.
import { prisma } from '../../db';

export type ArenaCheckpointOption = { id: string; name: string; kind: 'BASE' | 'SFT' | 'POLICY'; status: string; active: boolean; createdAt: string };
export type ArenaProjectOption = { id: string; name: string; heldOutPrompts: number; checkpoints: ArenaCheckpointOption[] };

export async function arenaStartOptions(): Promise<ArenaProjectOption[]> {
  const projects = await prisma.project.findMany({
    where: { archived: false },
    orderBy: { createdAt: 'desc' },
    select: {
      id: true,
      name: true,
      _count: { select: { prompts: { where: { split: { in: ['VAL', 'TEST'] } } } } },
      checkpoints: {
        where: { kind: { in: ['BASE', 'SFT', 'POLICY'] }, status: { in: ['READY', 'FAILED_EVAL'] } },
        orderBy: { createdAt: 'desc' },
        select: { id: true, name: true, kind: true, status: true, active: true, createdAt: true },
      },
    },
  });
  return projects.map((p) => ({
    id: p.id,
    name: p.name,
    heldOutPrompts: p._count.prompts,
    checkpoints: p.checkpoints.map((c) => ({ ...c, kind: c.kind as ArenaCheckpointOption['kind'], createdAt: c.createdAt.toISOString() })),
  }));
}
