// What every training stage shares: the job row, progress and metric mirroring (throttled),
// cancellation polling, resume checkpoints, and yielding so BullMQ keeps the lock renewed.
//
// Metrics and checkpoints stay consistent across a crash: before a resume checkpoint is written
// every buffered metric up to its step is flushed, and the checkpoint's folder only becomes the
// job's resumeUri after it is completely on disk. A restarted job drops the metric rows after
// that step (they will be produced again) and continues, so each step is stored exactly once.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Job } from 'bullmq';
import type { Logger } from '../../lib/log';
import {
  dropMetricsAfter,
  isCancelRequested,
  jobLog,
  setResumeUri,
  updateJobProgress,
  writeMetrics,
  type JobForRun,
} from '../../lib/data/training/jobs';
import { resolveUri, resumeUriFor } from '../../lib/data/training/paths';
import { yieldLoop } from '../../lib/ml/yield-loop';

export type RoundInfo = NonNullable<JobForRun['round']>;

export type StageRun = {
  job: Job;
  row: JobForRun;
  round: RoundInfo;
  log: Logger;
  reporter: Reporter;
  /** The step of the resume checkpoint this attempt starts from (0 = from the start). */
  resumeStep: number;
  resumeUri: string | null;
  note(message: string, level?: 'info' | 'warn' | 'error'): Promise<void>;
  /** Writes a resume checkpoint via `write(dir)`, then points the job at it. */
  saveResume(step: number, write: (dir: string) => Promise<void>): Promise<void>;
};

const FLUSH_MS = 1000;
const CANCEL_POLL_MS = 1000;

export class Reporter {
  private pending: { step: number; values: Record<string, unknown> }[] = [];
  private lastFlush = 0;
  private lastCancelPoll = 0;
  private cancel = false;
  private t0 = Date.now();
  private step0: number;
  private step = 0;
  private total = 0;

  constructor(
    private readonly jobId: string,
    private readonly job: Job,
    startStep: number,
    private readonly onStepLog?: (step: number, total: number, metrics: Record<string, number>) => void,
  ) {
    this.step0 = startStep;
    this.step = startStep;
  }

  async onStep(m: { step: number; totalSteps: number; metrics: Record<string, number> }): Promise<void> {
    this.step = m.step;
    this.total = m.totalSteps;
    this.pending.push({ step: m.step, values: m.metrics });
    this.onStepLog?.(m.step, m.totalSteps, m.metrics);
    if (Date.now() - this.lastFlush >= FLUSH_MS || m.step === m.totalSteps) await this.flush();
    else await yieldLoop();
  }

  eta(): number | null {
    const done = this.step - this.step0;
    if (done <= 0 || !this.total) return null;
    return Math.round((((Date.now() - this.t0) / done) * (this.total - this.step)) / 1000);
  }

  async flush(): Promise<void> {
    const rows = this.pending;
    this.pending = [];
    await writeMetrics(this.jobId, rows);
    const r = await updateJobProgress(this.jobId, { step: this.step, totalSteps: this.total, etaSeconds: this.eta() });
    this.cancel = this.cancel || r.cancelRequested;
    this.lastFlush = Date.now();
    this.lastCancelPoll = this.lastFlush;
    await this.job.updateProgress({ step: this.step, totalSteps: this.total }).catch(() => {});
  }

  shouldStop = async (): Promise<boolean> => {
    if (this.cancel) return true;
    if (Date.now() - this.lastCancelPoll >= CANCEL_POLL_MS) {
      this.lastCancelPoll = Date.now();
      this.cancel = await isCancelRequested(this.jobId);
    }
    await yieldLoop();
    return this.cancel;
  };

  get cancelled(): boolean {
    return this.cancel;
  }
}

/** Prepares a stage attempt: resume point, stale metrics removed, reporter. */
export async function beginStage(job: Job, row: JobForRun, log: Logger): Promise<StageRun> {
  const round = row.round!;
  let resumeStep = 0;
  let resumeUri: string | null = null;
  if (row.resumeUri) {
    const m = /step-(\d+)$/.exec(row.resumeUri);
    resumeStep = m ? Number(m[1]) : 0;
    resumeUri = row.resumeUri;
    const dropped = await dropMetricsAfter(row.id, resumeStep);
    await jobLog(row.id, 'warn', `Resuming after an interruption from the checkpoint at step ${resumeStep} (attempt ${row.attempts}); ${dropped} metric row(s) after it will be recomputed.`);
  } else {
    await dropMetricsAfter(row.id, 0);
  }
  let lastLogged = 0;
  const reporter = new Reporter(row.id, job, resumeStep, (step, total, metrics) => {
    if (Date.now() - lastLogged > 10_000 || step === total) {
      lastLogged = Date.now();
      const brief = Object.entries(metrics).filter(([k]) => !/lr|tokens/.test(k)).slice(0, 6).map(([k, v]) => `${k}=${Number(v).toPrecision(4)}`).join(' ');
      void jobLog(row.id, 'info', `step ${step}/${total} ${brief}`).catch(() => {});
    }
  });
  const rel = (step: number) => path.posix.join(resumeUriFor(round.projectId, round.id, row.id), `step-${step}`);
  return {
    job,
    row,
    round,
    log,
    reporter,
    resumeStep,
    resumeUri,
    note: (message, level = 'info') => jobLog(row.id, level, message),
    async saveResume(step, write) {
      await reporter.flush();
      const uri = rel(step);
      await write(resolveUri(uri));
      await setResumeUri(row.id, uri, step);
      // Older resume points are no longer needed once the row points at this one.
      const parent = resolveUri(resumeUriFor(round.projectId, round.id, row.id));
      for (const name of await fs.readdir(parent).catch(() => [] as string[])) {
        if (name !== `step-${step}` && /^step-\d+$/.test(name)) await fs.rm(path.join(parent, name), { recursive: true, force: true });
      }
    },
  };
}
