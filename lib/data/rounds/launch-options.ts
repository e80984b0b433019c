// What the launch form needs: projects with their data counts, the checkpoints a round may
// start from (stage defaults come from lib/shared/stage-config).
import { prisma } from '../../db';
import { PRESET_NAMES } from './settings';

export type LaunchOptions = {
  projects: {
    id: string;
    name: string;
    demonstrations: number;
    conversations: number;
    judgements: number;
    prompts: number;
    activePolicy: { id: string; name: string; preset: string } | null;
    checkpoints: { id: string; name: string; kind: string; preset: string; createdAt: string }[];
  }[];
  presets: readonly string[];
};

export async function launchOptions(): Promise<LaunchOptions> {
  const projects = await prisma.project.findMany({
    where: { archived: false },
    orderBy: { createdAt: 'desc' },
    select: {
      id: true, name: true,
      _count: { select: { demonstrations: true, judgements: true, prompts: true } },
      checkpoints: {
        where: { status: 'READY', kind: { in: ['BASE', 'SFT', 'POLICY'] } },
        orderBy: { createdAt: 'desc' },
        take: 50,
        select: { id: true, name: true, kind: true, preset: true, createdAt: true, active: true },
      },
    },
  });
  const convCounts = await prisma.conversation.groupBy({ by: ['projectId'], where: { submitted: true }, _count: { _all: true } });
  const conv = new Map(convCounts.map((c) => [c.projectId, c._count._all]));
  return {
    projects: projects.map((p) => {
      const active = p.checkpoints.find((c) => c.active && c.kind === 'POLICY');
      return {
        id: p.id,
        name: p.name,
        demonstrations: p._count.demonstrations,
        conversations: conv.get(p.id) ?? 0,
        judgements: p._count.judgements,
        prompts: p._count.prompts,
        activePolicy: active ? { id: active.id, name: active.name, preset: active.preset } : null,
        checkpoints: p.checkpoints.map((c) => ({ id: c.id, name: c.name, kind: c.kind, preset: c.preset, createdAt: c.createdAt.toISOString() })),
      };
    }),
    presets: PRESET_NAMES,
  };
}
