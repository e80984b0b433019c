// Producers for training: a round is one BullMQ flow on the `train` queue, a chain in which each
// stage is the child of the next (BullMQ runs children before their parent), so the stages run
// in order: the first stage is the deepest child, publish is the root. A stage that fails for
// good fails its parent (failParentOnFailure), so nothing after it runs; a stage that fails on a
// database or Redis outage is retried with backoff first (BullMQ moves a failing child to
// `delayed` while attempts remain, and its parent keeps waiting). Every job id is the
// TrainingJob row id, written before this is called; adding the same ids again is a no-op.
import { FlowProducer, type FlowJob } from 'bullmq';
import { closeWithin, getQueue, producerConnection, queuePrefix, toRedis } from './connection';
import { ARENA_JOB_NAME, ArenaPayload, QUEUES, SamplePayload, TrainPayload } from './names';
import type { RoundStage } from '../shared/stages';

const globalFlow = globalThis as unknown as { honeFlowProducer?: FlowProducer };

function flowProducer(): FlowProducer {
  if (!globalFlow.honeFlowProducer) {
    globalFlow.honeFlowProducer = new FlowProducer({ connection: producerConnection(), prefix: queuePrefix() });
    globalFlow.honeFlowProducer.on('error', () => {});
  }
  return globalFlow.honeFlowProducer;
}

const KEEP = { removeOnComplete: { age: 7 * 24 * 3600, count: 1000 }, removeOnFail: { age: 30 * 24 * 3600, count: 1000 } };

/**
 * Retries of a stage on a transient outage: 8 attempts, 5 s doubling (5, 10, 20 … 320 s), about
 * 10 minutes in all, enough for a Postgres or Redis restart. Real errors are final at once
 * (the processor throws UnrecoverableError), so attempts only ever count outages.
 */
export const OUTAGE_RETRY = { attempts: 8, backoff: { type: 'exponential', delay: 5000 } } as const;

/** Enqueues the stages of a round, in run order, as one flow. */
export async function enqueueRoundFlow(stages: { jobId: string; stage: RoundStage }[]): Promise<void> {
  if (!stages.length) throw new Error('a round needs at least one stage');
  let node: FlowJob | undefined;
  for (const s of stages) {
    const data = TrainPayload.parse({ trainingJobId: s.jobId });
    node = {
      name: s.stage.toLowerCase(),
      queueName: QUEUES.train,
      data,
      opts: { jobId: s.jobId, failParentOnFailure: true, ...OUTAGE_RETRY, ...KEEP },
      children: node ? [node] : undefined,
    };
  }
  const producer = flowProducer();
  await toRedis('queueing the round', producer, () => producer.add(node!));
}

/** Enqueues one standalone training job (a base model's pretraining). */
export async function enqueueTrainJob(jobId: string, stage: RoundStage): Promise<void> {
  const q = getQueue(QUEUES.train);
  await toRedis('queueing the training job', q, () => q.add(stage.toLowerCase(), TrainPayload.parse({ trainingJobId: jobId }), { jobId, ...OUTAGE_RETRY, ...KEEP }));
}

/** Enqueues sampling for a project; jobId = the SAMPLE TrainingJob row. */
export async function enqueueSample(payload: SamplePayload & { trainingJobId: string }): Promise<void> {
  const data = SamplePayload.parse(payload);
  const q = getQueue(QUEUES.sample);
  await toRedis('queueing sampling', q, () => q.add('sample', data, { jobId: payload.trainingJobId, ...OUTAGE_RETRY, ...KEEP }));
}

/** Enqueues the replies of an arena evaluation on the sample queue; jobId = the ARENA TrainingJob row. */
export async function enqueueArena(payload: ArenaPayload): Promise<void> {
  const data = ArenaPayload.parse(payload);
  const q = getQueue(QUEUES.sample);
  await toRedis('queueing the arena replies', q, () => q.add(ARENA_JOB_NAME, data, { jobId: data.trainingJobId, ...OUTAGE_RETRY, ...KEEP }));
}

export async function closeFlowProducer(): Promise<void> {
  if (globalFlow.honeFlowProducer) await closeWithin(globalFlow.honeFlowProducer);
  globalFlow.honeFlowProducer = undefined;
}
