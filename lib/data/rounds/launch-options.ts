// What the launch form needs: projects with their data counts and K, the checkpoints a round may
// start from with their model shapes, the snapshots earlier rounds froze (a round may reuse one), the presets a new base may take, and the live train
// workers' measured capacity (the form estimates each stage on it). Stage defaults come from
// lib/shared/stage-config, sized by lib/shared/model-sizing.
import { prisma } from '../../db';
import { PRESET_NAMES, SCRATCH_PRESETS, type ModelShape } from '../../shared/model-shape';
import type { CapacityOf } from '../../shared/model-sizing';
import { checkpointShape } from './checkpoint-shape';
import { trainCapacities } from '../workers/train-capacity';
import { liveWorkers } from '../workers/heartbeat';

export type StartCheckpoint = { id: string; name: string; kind: string; preset: string; shape: ModelShape | null; createdAt: string };
/** A snapshot an earlier round trained on: the rounds that used it, newest first. */
export type ReusableSnapshot = { id: string; sha256: string; rowCount: number; createdAt: string; rounds: number[] };

export type LaunchOptions = {
  projects: {
    id: string;
    name: string;
    /** Completions per ranking: the RM's rows per ranking. */
    k: number;
    demonstrations: number;
    conversations: number;
    judgements: number;
    prompts: number;
    activePolicy: StartCheckpoint | null;
    /** READY BASE, SFT and POLICY checkpoints, newest first. */
    checkpoints: StartCheckpoint[];
    /** Round snapshots, newest first (at most 20). */
    snapshots: ReusableSnapshot[];
  }[];
  presets: readonly string[];
  /** Presets a new base may be pretrained as. */
  scratchPresets: readonly string[];
  /** Live train workers that reported their capacity, most memory first. */
  workers: CapacityOf[];
  /** Live train workers in all, with or without a capacity. */
  liveTrainWorkers: number;
};

export async function launchOptions(): Promise<LaunchOptions> {
  const projects = await prisma.project.findMany({
    where: { archived: false },
    orderBy: { createdAt: 'desc' },
    select: {
      id: true, name: true, k: true,
      _count: { select: { demonstrations: true, judgements: true, prompts: true } },
      checkpoints: {
        where: { status: 'READY', kind: { in: ['BASE', 'SFT', 'POLICY'] } },
        orderBy: { createdAt: 'desc' },
        take: 50,
        select: { id: true, name: true, kind: true, preset: true, modelConfig: true, createdAt: true, active: true },
      },
      snapshots: {
        where: { kind: 'ROUND', rounds: { some: {} } },
        orderBy: { createdAt: 'desc' },
        take: 20,
        select: { id: true, sha256: true, rowCount: true, createdAt: true, rounds: { select: { number: true }, orderBy: { number: 'desc' } } },
      },
    },
  });
  const convCounts = await prisma.conversation.groupBy({ by: ['projectId'], where: { submitted: true }, _count: { _all: true } });
  const conv = new Map(convCounts.map((c) => [c.projectId, c._count._all]));
  const [workers, live] = await Promise.all([trainCapacities(), liveWorkers()]);
  const view = (c: (typeof projects)[number]['checkpoints'][number]): StartCheckpoint => ({ id: c.id, name: c.name, kind: c.kind, preset: c.preset, shape: checkpointShape(c), createdAt: c.createdAt.toISOString() });
  return {
    projects: projects.map((p) => {
      const active = p.checkpoints.find((c) => c.active && c.kind === 'POLICY');
      return {
        id: p.id,
        name: p.name,
        k: p.k,
        demonstrations: p._count.demonstrations,
        conversations: conv.get(p.id) ?? 0,
        judgements: p._count.judgements,
        prompts: p._count.prompts,
        activePolicy: active ? view(active) : null,
        checkpoints: p.checkpoints.map(view),
        snapshots: p.snapshots.map((x) => ({ id: x.id, sha256: x.sha256, rowCount: x.rowCount, createdAt: x.createdAt.toISOString(), rounds: x.rounds.map((r) => r.number) })),
      };
    }),
    presets: PRESET_NAMES,
    scratchPresets: SCRATCH_PRESETS,
    workers,
    liveTrainWorkers: live.filter((w) => w.queues.includes('train')).length,
  };
}
