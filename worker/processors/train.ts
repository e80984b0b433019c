// The `train` queue: one stage of a round per job (PRETRAIN, SFT, RM, PPO, DPO, EVALUATE, PUBLISH),
// one job at a time per worker process. The TrainingJob row is the truth: a stage that already
// succeeded is not run again; a RUNNING row means the previous worker died and the stage resumes
// from its last checkpoint; a cancelled round stops here. A database or Redis outage makes BullMQ
// retry the job with backoff, which resumes from the last checkpoint as after kill -9; so does a
// lost GPU device, once the backend is recreated in this process (or has fallen back to a CPU
// backend); out of memory and other failures are written to the row (the UI shows them) and are
// final (UnrecoverableError), which fails the rest of the flow. The last checkpoint stays.
import { UnrecoverableError, type Job } from 'bullmq';
import { backendInfo, initBackend } from '../../lib/ml/backend';
import { env } from '../../lib/env';
import { QUEUES, TrainPayload } from '../../lib/queue/names';
import { finishRound, getJobForRun, jobLog, markJobCancelled, markJobFailed, markJobRunning, markJobSucceeded, roundStatus } from '../../lib/data/training/jobs';
import { assertCheckpointRootUsable } from '../../lib/data/training/paths';
import { beginStage, type StageRun } from '../stages/run';
import { runPretrain } from '../stages/pretrain';
import { runSft } from '../stages/sft';
import { runRm } from '../stages/rm';
import { runPpo } from '../stages/ppo';
import { runDpo } from '../stages/dpo';
import { runEvaluate } from '../stages/evaluate';
import { runPublish } from '../stages/publish';
import { failAttempt } from './outage-retry';
import { gpuHandling } from './gpu-recovery';
import type { Processor, ProcessorContext } from './types';
import type { RoundStage } from '../../lib/shared/stages';

const STAGES: Record<RoundStage, (run: StageRun) => Promise<{ stopped: boolean; step: number }>> = {
  PRETRAIN: runPretrain,
  SFT: runSft,
  RM: runRm,
  PPO: runPpo,
  DPO: runDpo,
  EVALUATE: runEvaluate,
  PUBLISH: runPublish,
};

async function processTrain(job: Job, ctx: ProcessorContext): Promise<unknown> {
  const { trainingJobId } = TrainPayload.parse(job.data);
  let row: Awaited<ReturnType<typeof getJobForRun>>;
  try {
    row = await getJobForRun(trainingJobId);
  } catch (e) {
    // No row (a launch that was refused) is final; an outage is retried.
    throw await failAttempt(job, e, ctx.log, async () => {});
  }
  const log = ctx.log.child({ trainingJobId, stage: row.stage });
  const gpu = gpuHandling(ctx, (message) => jobLog(row.id, 'error', message));
  try {
    if (row.status === 'SUCCEEDED') {
      // A retry after the outage hit between publishing and closing the round closes it now.
      if (row.stage === 'PUBLISH' && row.round) await finishRound(row.round.id, 'SUCCEEDED', null);
      return { skipped: 'already succeeded' };
    }
    const runStage = STAGES[row.stage as RoundStage] ?? null;
    if (!row.round || !runStage) {
      await markJobFailed(row.id, `The train queue cannot run a ${row.stage} job outside a round.`);
      throw new UnrecoverableError(`not a round stage: ${row.stage}`);
    }
    const rs = await roundStatus(row.round.id);
    if (row.cancelRequested || row.status === 'CANCELLED' || row.status === 'FAILED' || rs === 'CANCELLED' || rs === 'FAILED') {
      if (row.status === 'QUEUED' || row.status === 'RUNNING') await markJobCancelled(row.id, 'Cancelled before it started.');
      throw new UnrecoverableError(`round ${rs?.toLowerCase() ?? 'gone'}: ${row.stage} not run`);
    }
    await assertCheckpointRootUsable();
    await initBackend({ backend: env().HONE_TF_BACKEND });
    // What tf.js really runs on: after a GPU failure it may be a recreated device or a CPU fallback.
    await markJobRunning(row.id, ctx.workerId, backendInfo().name);
    log.info('stage started', { attempt: row.attempts + 1, resumeUri: row.resumeUri });
    const run = await beginStage(job, { ...row, attempts: row.attempts + 1 }, log);
    const out = await runStage(run);
    if (out.stopped) {
      const kept = (await getJobForRun(row.id)).resumeUri;
      await markJobCancelled(row.id, `Cancelled at step ${out.step}${kept ? `; the last checkpoint is kept at ${kept}` : ''}.`);
      throw new UnrecoverableError('cancelled');
    }
    await markJobSucceeded(row.id);
    if (row.stage === 'PUBLISH') await finishRound(row.round.id, 'SUCCEEDED', null);
    log.info('stage finished', { step: out.step });
    return { stage: row.stage, step: out.step };
  } catch (e) {
    throw await failAttempt(job, e, log, (message) => markJobFailed(row.id, message), gpu);
  }
}

export const processor: Processor = {
  queue: QUEUES.train,
  concurrency: 1, // one training job per worker process (per CPU/GPU)
  lockDuration: 30_000, // renewed every 15 s; every trainer step yields to the event loop
  stalledInterval: 10_000, // a killed worker's job is back in the queue within ~40 s
  maxStalledCount: 5, // and may resume a few times before BullMQ gives up on it
  async init(ctx) {
    const info = await initBackend({ backend: env().HONE_TF_BACKEND });
    ctx.setBackend?.(info.name);
    ctx.log.info('tensorflow backend', { backend: info.name, reason: info.reason });
  },
  process: processTrain,
};
