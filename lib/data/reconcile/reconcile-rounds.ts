// Heals rounds (and standalone training jobs) whose rows disagree with BullMQ, so no project
// stays blocked: a launch answers 409 while a round is QUEUED or RUNNING. Every change is a
// guarded update of a row that is still open, so two workers reconciling at once agree. A round
// in which anything happened within the grace period (created, a stage started, beat or ended)
// is left alone: its web request or worker may still be between two writes.
//
//   the stages ended but the round did not        → the round ends as its stages did
//   no open stage has a job in Redis              → the open stages are queued again, same ids
//                                                   (a RUNNING one resumes from its checkpoint)
//   a stage's job failed or finished in Redis,    → the stage and the round fail with the reason
//   or was lost while later ones remain
//   a cancelled stage with no live worker         → the stage and the round are cancelled
import { prisma } from '../../db';
import { enqueueRoundFlow } from '../../queue/flows';
import { queueJobState, type QueueJobState } from '../../queue/job-state';
import { closeOpenJob, finishRound } from '../training/jobs';
import { isLive, queueOfStage } from './stage-liveness';
import { isTransientOutage } from '../outage';
import { ROUND_STAGES, type RoundStage } from '../../shared/stages';

export type ReconcileAction = { kind: 'round' | 'job' | 'export'; id: string; action: 'requeued' | 'failed' | 'cancelled' | 'closed' | 'skipped'; reason: string };

/**
 * Runs one row's reconciliation. An outage ends the pass (the next one retries); any other error
 * skips only this row, so one odd row cannot stop the others from healing.
 */
export async function oneRow(kind: ReconcileAction['kind'], id: string, work: () => Promise<ReconcileAction[]>): Promise<ReconcileAction[]> {
  try {
    return await work();
  } catch (e) {
    if (isTransientOutage(e)) throw e;
    return [{ kind, id, action: 'skipped', reason: (e as Error)?.message ?? String(e) }];
  }
}

type Stage = { id: string; stage: string; status: string; cancelRequested: boolean; error: string | null; startedAt: Date | null; finishedAt: Date | null; heartbeatAt: Date | null };
type OpenRound = { id: string; number: number; jobs: Stage[] };

const OPEN = ['QUEUED', 'RUNNING'];
// Stages in run order (rows of one round may share a creation time, so it cannot order them).
const inRunOrder = (jobs: Stage[]) => [...jobs].sort((a, b) => ROUND_STAGES.indexOf(a.stage as RoundStage) - ROUND_STAGES.indexOf(b.stage as RoundStage));

function whyFailed(stage: Stage, s: QueueJobState, inRound: boolean): string | null {
  const again = inRound ? 'launch the round again' : 'start it again';
  if (s.state === 'failed') return `${stage.stage} failed in the job queue, and the failure was not recorded at the time: ${s.failedReason ?? 'no reason given'}.`;
  if (s.state === 'completed') return `${stage.stage} finished in the job queue without recording its result (the database was probably unreachable); ${again}.`;
  if (s.state === 'missing') return `${stage.stage}'s job is gone from Redis${inRound ? " while the round's other jobs remain" : ''}; ${again}.`;
  return null;
}

/** The round's stages have all ended but the round has not: end it as they did. */
async function closeFromStages(r: OpenRound): Promise<ReconcileAction | null> {
  const failed = r.jobs.find((j) => j.status === 'FAILED');
  const running = r.jobs.some((j) => j.status === 'RUNNING');
  if (failed) {
    await finishRound(r.id, 'FAILED', `${failed.stage} failed: ${failed.error ?? 'no reason recorded'}`.slice(0, 4000));
    return { kind: 'round', id: r.id, action: 'failed', reason: `${failed.stage} had failed` };
  }
  if (!running && r.jobs.some((j) => j.status === 'CANCELLED')) {
    await finishRound(r.id, 'CANCELLED', null);
    return { kind: 'round', id: r.id, action: 'cancelled', reason: 'its stages were cancelled' };
  }
  if (r.jobs.length && r.jobs.every((j) => j.status === 'SUCCEEDED')) {
    await finishRound(r.id, 'SUCCEEDED', null);
    return { kind: 'round', id: r.id, action: 'closed', reason: 'every stage had succeeded' };
  }
  return null;
}

async function reconcileRound(r: OpenRound): Promise<ReconcileAction[]> {
  const closed = await closeFromStages(r);
  if (closed) return [closed];
  const open = r.jobs.filter((j) => OPEN.includes(j.status));
  if (!open.length) return [];
  const states = await Promise.all(open.map((j) => queueJobState(queueOfStage(j.stage), j.id)));

  if (states.every((s) => s.state === 'missing') && !open.some((j) => j.cancelRequested)) {
    await enqueueRoundFlow(open.map((j) => ({ jobId: j.id, stage: j.stage as RoundStage })));
    return [{ kind: 'round', id: r.id, action: 'requeued', reason: `round ${r.number} had no jobs in Redis; its ${open.length} open stage(s) were queued again` }];
  }
  for (let i = 0; i < open.length; i++) {
    const stage = open[i];
    const s = states[i];
    // Only the call that closes the stage ends the round: a worker may have finished it since.
    if (stage.cancelRequested && !isLive(s)) {
      if (!(await closeOpenJob(stage.id, 'CANCELLED', `${stage.stage} was cancelled; no worker was running it.`))) return [];
      await finishRound(r.id, 'CANCELLED', null);
      return [{ kind: 'round', id: r.id, action: 'cancelled', reason: `cancel was requested and ${stage.stage} had no live worker` }];
    }
    const reason = whyFailed(stage, s, true);
    if (reason) {
      if (!(await closeOpenJob(stage.id, 'FAILED', reason))) return [];
      await finishRound(r.id, 'FAILED', reason);
      return [{ kind: 'round', id: r.id, action: 'failed', reason }];
    }
  }
  return [];
}

/** A pretraining or sampling job outside a round whose queue job failed, finished or vanished. */
async function reconcileStandalone(job: Stage): Promise<ReconcileAction | null> {
  const s = await queueJobState(queueOfStage(job.stage), job.id);
  if (job.cancelRequested && !isLive(s)) {
    return (await closeOpenJob(job.id, 'CANCELLED', `${job.stage} was cancelled; no worker was running it.`)) ? { kind: 'job', id: job.id, action: 'cancelled', reason: 'no live worker' } : null;
  }
  const reason = whyFailed(job, s, false);
  if (!reason) return null;
  return (await closeOpenJob(job.id, 'FAILED', reason)) ? { kind: 'job', id: job.id, action: 'failed', reason } : null;
}

const STAGE_SELECT = { id: true, stage: true, status: true, cancelRequested: true, error: true, startedAt: true, finishedAt: true, heartbeatAt: true } as const;

/** When anything last happened to these rows: a stage that beats or just moved is left alone. */
function lastActivity(createdAt: Date, jobs: Stage[]): number {
  return Math.max(createdAt.getTime(), ...jobs.flatMap((j) => [j.startedAt, j.finishedAt, j.heartbeatAt].map((d) => d?.getTime() ?? 0)));
}

export async function reconcileRounds(graceMs: number): Promise<ReconcileAction[]> {
  const before = new Date(Date.now() - graceMs);
  const rounds = await prisma.trainingRound.findMany({
    where: { status: { in: ['QUEUED', 'RUNNING'] }, createdAt: { lt: before } },
    select: { id: true, number: true, createdAt: true, jobs: { select: STAGE_SELECT } },
  });
  const actions: ReconcileAction[] = [];
  for (const r of rounds) {
    if (lastActivity(r.createdAt, r.jobs) >= before.getTime()) continue;
    actions.push(...(await oneRow('round', r.id, () => reconcileRound({ ...r, jobs: inRunOrder(r.jobs) }))));
  }
  const standalone = await prisma.trainingJob.findMany({
    where: { roundId: null, status: { in: ['QUEUED', 'RUNNING'] }, createdAt: { lt: before } },
    select: { ...STAGE_SELECT, createdAt: true },
  });
  for (const j of standalone) {
    if (lastActivity(j.createdAt, [j]) >= before.getTime()) continue;
    actions.push(...(await oneRow('job', j.id, async () => [await reconcileStandalone(j)].filter((a): a is ReconcileAction => a !== null))));
  }
  return actions;
}
