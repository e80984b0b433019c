// What a stage pipeline asks of its host (the worker's job, or the CLI): progress, a stop
// request, and where a resume checkpoint goes.
import type { StepReport, TrainerCallbacks } from '../train/common';

export type StageHooks = {
  onStep?(m: StepReport): void | Promise<void>;
  /** Polled before each step; true stops after a final resume checkpoint. */
  shouldStop?(): boolean | Promise<boolean>;
  /**
   * Writes a resume checkpoint: the host calls `write(dir)` with the folder to fill and decides
   * when it becomes the point to resume from (the worker flushes metrics up to `step` first and
   * only points the job at `dir` once it is complete on disk).
   */
  saveResume(step: number, write: (dir: string) => Promise<void>): Promise<void>;
};

export type StageOutcome<R> = { stopped: boolean; steps: number; result: R };

/** A trainer's callbacks over the host's hooks: each checkpoint becomes a resume point written by `write`. */
export function resumeCallbacks<C extends { step: number }>(hooks: StageHooks, write: (checkpoint: C, dir: string) => Promise<void>): TrainerCallbacks<C> {
  return { onStep: hooks.onStep, shouldStop: hooks.shouldStop, onCheckpoint: (c) => hooks.saveResume(c.step, (dir) => write(c, dir)) };
}
