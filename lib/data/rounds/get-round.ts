// One round for the admin page and GET /api/rounds/:id: its stages with progress, ETA and
// errors, their metric series (for the charts) and recent logs, the evaluation, and the
// checkpoints it published. Plain DTOs: no row leaves as-is.
import type { JobStage } from '../../shared/stages';
import { prisma } from '../../db';
import { AppError } from '../errors';
import { findEvaluation, type EvaluationResult, type EvaluationSample } from '../../shared/evaluation';
import type { DataReport } from '../../shared/item-problems';

export type MetricPoint = { step: number; values: Record<string, number> };
export type StageView = {
  id: string;
  stage: JobStage;
  status: string;
  progress: number;
  step: number;
  totalSteps: number;
  etaSeconds: number | null;
  error: string | null;
  attempts: number;
  backend: string | null;
  workerId: string | null;
  resumeUri: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  cancelRequested: boolean;
  /** The items the stage used, skipped (per reason) and shortened; null until its trainer has looked. */
  dataReport: DataReport | null;
  metrics: MetricPoint[];
  logs: { at: string; level: string; message: string }[];
};
export type EvalSample = EvaluationSample;
export type Evaluation = EvaluationResult;
export type RoundView = {
  id: string;
  projectId: string;
  projectName: string;
  number: number;
  status: string;
  preset: string;
  stages: string[];
  config: Record<string, unknown>;
  error: string | null;
  snapshot: { id: string; sha256: string; rowCount: number; manifest: unknown } | null;
  startCheckpoint: { id: string; name: string; kind: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  jobs: StageView[];
  evaluation: Evaluation | null;
  /** `uri`: the folder under the checkpoint root (a DPO or PPO round's POLICY is its stage's folder). */
  checkpoints: { id: string; kind: string; name: string; status: string; active: boolean; parentId: string | null; uri: string; metrics: unknown }[];
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Numeric values only (the charts); non-numbers such as eval samples stay in `evaluation`. */
function numeric(values: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (values && typeof values === 'object') for (const [k, v] of Object.entries(values)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}

export async function getRound(roundId: string): Promise<RoundView> {
  const r = await prisma.trainingRound.findUnique({
    where: { id: roundId },
    select: {
      id: true, projectId: true, number: true, status: true, preset: true, stages: true, config: true, error: true, createdAt: true, startedAt: true, finishedAt: true,
      project: { select: { name: true } },
      snapshot: { select: { id: true, sha256: true, rowCount: true, manifest: true } },
      startCheckpoint: { select: { id: true, name: true, kind: true } },
      jobs: {
        orderBy: { createdAt: 'asc' },
        select: {
          id: true, stage: true, status: true, progress: true, step: true, totalSteps: true, etaSeconds: true, error: true, attempts: true, backend: true, workerId: true, resumeUri: true,
          startedAt: true, finishedAt: true, cancelRequested: true, dataReport: true,
          logs: { orderBy: { createdAt: 'desc' }, take: 40, select: { createdAt: true, level: true, message: true } },
        },
      },
      checkpoints: { orderBy: { createdAt: 'asc' }, select: { id: true, kind: true, name: true, status: true, active: true, parentId: true, uri: true, metrics: true } },
    },
  });
  if (!r) throw new AppError('NOT_FOUND', `No training round ${roundId}.`);
  const metrics = await prisma.jobMetric.findMany({
    where: { jobId: { in: r.jobs.map((j) => j.id) } },
    select: { jobId: true, step: true, values: true },
    orderBy: [{ jobId: 'asc' }, { step: 'asc' }],
  });
  const byJob = new Map<string, MetricPoint[]>();
  const evalJob = r.jobs.find((j) => j.stage === 'EVALUATE');
  const evaluation = evalJob ? findEvaluation(metrics.filter((m) => m.jobId === evalJob.id)) : null;
  for (const m of metrics) {
    const list = byJob.get(m.jobId) ?? [];
    list.push({ step: m.step, values: numeric(m.values) });
    byJob.set(m.jobId, list);
  }
  return {
    id: r.id,
    projectId: r.projectId,
    projectName: r.project.name,
    number: r.number,
    status: r.status,
    preset: r.preset,
    stages: r.stages,
    config: r.config as Record<string, unknown>,
    error: r.error,
    snapshot: r.snapshot,
    startCheckpoint: r.startCheckpoint,
    createdAt: r.createdAt.toISOString(),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    jobs: r.jobs.map((j) => ({
      id: j.id,
      stage: j.stage,
      status: j.status,
      progress: j.progress,
      step: j.step,
      totalSteps: j.totalSteps,
      etaSeconds: j.etaSeconds,
      error: j.error,
      attempts: j.attempts,
      backend: j.backend,
      workerId: j.workerId,
      resumeUri: j.resumeUri,
      startedAt: iso(j.startedAt),
      finishedAt: iso(j.finishedAt),
      cancelRequested: j.cancelRequested,
      dataReport: (j.dataReport as DataReport | null) ?? null,
      metrics: byJob.get(j.id) ?? [],
      logs: j.logs.reverse().map((l) => ({ at: l.createdAt.toISOString(), level: l.level, message: l.message })),
    })),
    evaluation,
    checkpoints: r.checkpoints,
  };
}
