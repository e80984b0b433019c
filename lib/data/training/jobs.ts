// The worker's view of a TrainingJob row: claim it, mirror progress and metrics, log, honour
// cancellation, finish it. Postgres is the truth; BullMQ only carries the job id.
import { prisma, Prisma } from '../../db';
import { AppError } from '../errors';
import type { JobStage } from '../../shared/stages';

export type JobForRun = {
  id: string;
  stage: JobStage;
  status: string;
  config: unknown;
  cancelRequested: boolean;
  attempts: number;
  step: number;
  resumeUri: string | null;
  outputCheckpointId: string | null;
  round: null | {
    id: string;
    number: number;
    projectId: string;
    preset: string;
    status: string;
    config: unknown;
    stages: string[];
    startCheckpointId: string | null;
    snapshotId: string | null;
    snapshotSha: string | null;
    createdById: string | null;
  };
};

export async function getJobForRun(jobId: string): Promise<JobForRun> {
  const j = await prisma.trainingJob.findUnique({
    where: { id: jobId },
    select: {
      id: true, stage: true, status: true, config: true, cancelRequested: true, attempts: true, step: true, resumeUri: true, outputCheckpointId: true,
      round: {
        select: {
          id: true, number: true, projectId: true, preset: true, status: true, config: true, stages: true, startCheckpointId: true, snapshotId: true, createdById: true,
          snapshot: { select: { sha256: true } },
        },
      },
    },
  });
  if (!j) throw new AppError('NOT_FOUND', `No training job ${jobId}.`);
  const { round, ...rest } = j;
  return { ...rest, round: round ? { ...round, snapshotSha: round.snapshot?.sha256 ?? null } : null };
}

/** Marks the job (and its round) running on this worker; counts the attempt. */
export async function markJobRunning(jobId: string, workerId: string, backend: string | null): Promise<void> {
  const now = new Date();
  const job = await prisma.trainingJob.update({
    where: { id: jobId },
    data: { status: 'RUNNING', workerId, backend, attempts: { increment: 1 }, startedAt: now, heartbeatAt: now, error: null },
    select: { roundId: true, startedAt: true },
  });
  if (job.roundId) {
    await prisma.trainingRound.updateMany({ where: { id: job.roundId, status: 'QUEUED' }, data: { status: 'RUNNING', startedAt: now } });
  }
}

export async function setTotalSteps(jobId: string, totalSteps: number): Promise<void> {
  await prisma.trainingJob.update({ where: { id: jobId }, data: { totalSteps } });
}

/** Mirrors progress to the row (callers throttle). */
export async function updateJobProgress(jobId: string, p: { step: number; totalSteps: number; etaSeconds: number | null }): Promise<{ cancelRequested: boolean }> {
  const row = await prisma.trainingJob.update({
    where: { id: jobId },
    data: { step: p.step, totalSteps: p.totalSteps, progress: p.totalSteps ? Math.min(1, p.step / p.totalSteps) : 0, etaSeconds: p.etaSeconds, heartbeatAt: new Date() },
    select: { cancelRequested: true },
  });
  return row;
}

/** Writes metric rows; a step that is already stored is left as it is (unique jobId+step). */
export async function writeMetrics(jobId: string, rows: { step: number; values: Record<string, unknown> }[]): Promise<void> {
  if (!rows.length) return;
  await prisma.jobMetric.createMany({ data: rows.map((r) => ({ jobId, step: r.step, values: r.values as Prisma.InputJsonValue })), skipDuplicates: true });
}

/**
 * After a crash the job continues from its last checkpoint at `step`: the metric rows written
 * after that checkpoint describe steps that will run again, so they are removed and rewritten;
 * every step ≤ `step` is kept. The result: each step exactly once.
 */
export async function dropMetricsAfter(jobId: string, step: number): Promise<number> {
  const r = await prisma.jobMetric.deleteMany({ where: { jobId, step: { gt: step } } });
  return r.count;
}

export async function jobLog(jobId: string, level: 'info' | 'warn' | 'error', message: string): Promise<void> {
  await prisma.jobLog.create({ data: { jobId, level, message: message.slice(0, 4000) } });
}

export async function setResumeUri(jobId: string, resumeUri: string, step: number): Promise<void> {
  await prisma.trainingJob.update({ where: { id: jobId }, data: { resumeUri, step, heartbeatAt: new Date() } });
}

export async function isCancelRequested(jobId: string): Promise<boolean> {
  const row = await prisma.trainingJob.findUnique({ where: { id: jobId }, select: { cancelRequested: true } });
  return row?.cancelRequested ?? true;
}

export async function markJobSucceeded(jobId: string, out: { outputCheckpointId?: string | null } = {}): Promise<void> {
  await prisma.trainingJob.update({
    where: { id: jobId },
    data: { status: 'SUCCEEDED', progress: 1, etaSeconds: 0, finishedAt: new Date(), outputCheckpointId: out.outputCheckpointId ?? undefined },
  });
}

/** A job stopped on request: its last checkpoint (resumeUri) stays on disk; the round is cancelled. */
export async function markJobCancelled(jobId: string, message: string): Promise<void> {
  const job = await prisma.trainingJob.update({ where: { id: jobId }, data: { status: 'CANCELLED', finishedAt: new Date(), etaSeconds: null }, select: { roundId: true } });
  await jobLog(jobId, 'warn', message);
  if (job.roundId) await finishRound(job.roundId, 'CANCELLED', null);
}

/** A job failed: the row and the round say why (shown in the UI); later stages are cancelled. */
export async function markJobFailed(jobId: string, error: string): Promise<void> {
  const job = await prisma.trainingJob.update({ where: { id: jobId }, data: { status: 'FAILED', error: error.slice(0, 4000), finishedAt: new Date(), etaSeconds: null }, select: { roundId: true, stage: true } });
  await jobLog(jobId, 'error', error);
  if (job.roundId) await finishRound(job.roundId, 'FAILED', `${job.stage} failed: ${error}`.slice(0, 4000));
}

/** Ends a round; jobs that never ran are marked cancelled. */
export async function finishRound(roundId: string, status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED', error: string | null): Promise<void> {
  const now = new Date();
  await prisma.$transaction([
    prisma.trainingRound.updateMany({ where: { id: roundId, status: { in: ['QUEUED', 'RUNNING'] } }, data: { status, error, finishedAt: now } }),
    prisma.trainingJob.updateMany({ where: { roundId, status: 'QUEUED' }, data: { status: 'CANCELLED', finishedAt: now } }),
  ]);
}

/**
 * Closes a job that is still QUEUED or RUNNING (the reconciler and cancel, which may race each
 * other or a worker: only the first close counts) and logs why. True when this call closed it.
 */
export async function closeOpenJob(jobId: string, status: 'FAILED' | 'CANCELLED', reason: string): Promise<boolean> {
  const r = await prisma.trainingJob.updateMany({
    where: { id: jobId, status: { in: ['QUEUED', 'RUNNING'] } },
    data: { status, error: status === 'FAILED' ? reason.slice(0, 4000) : undefined, finishedAt: new Date(), etaSeconds: null },
  });
  if (r.count) await jobLog(jobId, status === 'FAILED' ? 'error' : 'warn', reason);
  return r.count > 0;
}

/** Status of the round a job belongs to (a later stage refuses to start in a finished round). */
export async function roundStatus(roundId: string): Promise<string | null> {
  const r = await prisma.trainingRound.findUnique({ where: { id: roundId }, select: { status: true } });
  return r?.status ?? null;
}

/** The jobs of a round by stage (later stages read earlier ones' outputs and metrics). */
export async function roundJobs(roundId: string) {
  return prisma.trainingJob.findMany({
    where: { roundId },
    select: { id: true, stage: true, status: true, startedAt: true, finishedAt: true, outputCheckpointId: true, config: true },
    orderBy: { createdAt: 'asc' },
  });
}

/** Metric rows of a job in step order. */
export async function jobMetrics(jobId: string): Promise<{ step: number; values: Record<string, unknown> }[]> {
  const rows = await prisma.jobMetric.findMany({ where: { jobId }, select: { step: true, values: true }, orderBy: { step: 'asc' } });
  return rows.map((r) => ({ step: r.step, values: r.values as Record<string, unknown> }));
}
