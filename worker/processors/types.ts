// What a processor file exports. worker/main.ts starts one BullMQ Worker per processor whose
// queue this process serves (HONE_WORKER_QUEUES).
import type { Job } from 'bullmq';
import type { Logger } from '../../lib/log';
import type { QueueName } from '../../lib/queue/names';

export type ProcessorContext = {
  workerId: string;
  log: Logger;
  backend: () => string | null;
  /** Reports the TensorFlow.js backend a processor started (shown in heartbeats and /api/health). */
  setBackend?: (name: string) => void;
};

export type Processor = {
  queue: QueueName;
  /** Jobs at once in this process. Training is 1: one job per CPU/GPU worker. */
  concurrency: number;
  /** Lock duration in ms; long CPU-bound jobs must also yield so BullMQ can renew it. */
  lockDuration?: number;
  /** How often this worker looks for jobs whose worker died (ms; BullMQ's default 30 s). */
  stalledInterval?: number;
  /** How many times a job may be recovered after its worker died (BullMQ's default 1). */
  maxStalledCount?: number;
  /** Called once at startup (load a backend, warm a model). */
  init?: (ctx: ProcessorContext) => Promise<void>;
  process: (job: Job, ctx: ProcessorContext) => Promise<unknown>;
  /** Called on shutdown after the BullMQ worker closed. */
  close?: () => Promise<void>;
};
