// Checkpoints of a project (or all), newest first, with lineage and metrics, for the admin page
// and GET /api/checkpoints.
import { prisma } from '../../db';
import { ModelShapeSchema, shapeOfKey, type ModelShape } from '../../shared/model-shape';

export type CheckpointView = {
  id: string;
  projectId: string | null;
  projectName: string | null;
  kind: string;
  name: string;
  /** The shape key (a preset's name or e.g. "gpt2-family-L6-C768-H12-T1024"). */
  preset: string;
  /** Dimensions and tokenizer; null for a shape key this version does not know. */
  shape: ModelShape | null;
  /** A registered base: where it came from, the sha256 of its weights file and its bytes. */
  source: string | null;
  weightsSha256: string | null;
  sizeBytes: number | null;
  status: string;
  active: boolean;
  parentId: string | null;
  parentName: string | null;
  roundId: string | null;
  roundNumber: number | null;
  snapshotSha: string | null;
  uri: string;
  step: number;
  metrics: Record<string, unknown>;
  promotedAt: string | null;
  createdAt: string;
};

export async function listCheckpoints(opts: { projectId?: string; kind?: string } = {}): Promise<CheckpointView[]> {
  const rows = await prisma.checkpoint.findMany({
    where: { ...(opts.projectId ? { projectId: opts.projectId } : {}), ...(opts.kind ? { kind: opts.kind as 'POLICY' } : {}) },
    orderBy: { createdAt: 'desc' },
    take: 200,
    select: {
      id: true, projectId: true, kind: true, name: true, preset: true, status: true, active: true, parentId: true, roundId: true, snapshotSha: true, uri: true, step: true, metrics: true,
      modelConfig: true, source: true, weightsSha256: true, sizeBytes: true, promotedAt: true, createdAt: true,
      project: { select: { name: true } },
      parent: { select: { name: true } },
      round: { select: { number: true } },
    },
  });
  return rows.map((c) => ({
    id: c.id,
    projectId: c.projectId,
    projectName: c.project?.name ?? null,
    kind: c.kind,
    name: c.name,
    preset: c.preset,
    shape: shapeOfRow(c),
    source: c.source,
    weightsSha256: c.weightsSha256,
    sizeBytes: c.sizeBytes === null ? null : Number(c.sizeBytes),
    status: c.status,
    active: c.active,
    parentId: c.parentId,
    parentName: c.parent?.name ?? null,
    roundId: c.roundId,
    roundNumber: c.round?.number ?? null,
    snapshotSha: c.snapshotSha,
    uri: c.uri,
    step: c.step,
    metrics: (c.metrics ?? {}) as Record<string, unknown>,
    promotedAt: c.promotedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
  }));
}

/** A row's shape: its modelConfig, else what its shape key spells (rows before registration existed). */
export function shapeOfRow(c: { modelConfig: unknown; preset: string }): ModelShape | null {
  const parsed = ModelShapeSchema.safeParse(c.modelConfig);
  return parsed.success ? parsed.data : shapeOfKey(c.preset);
}

/** The uri and preset of a checkpoint, for the worker. */
export async function checkpointLocation(id: string): Promise<{ id: string; uri: string; preset: string; kind: string; projectId: string | null; status: string } | null> {
  return prisma.checkpoint.findUnique({ where: { id }, select: { id: true, uri: true, preset: true, kind: true, projectId: true, status: true } });
}
