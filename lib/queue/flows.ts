// Producers for training: a round is one BullMQ flow on the `train` queue, a chain in which each
// stage is the child of the next (BullMQ runs children before their parent), so the stages run
// in order: the first stage is the deepest child, publish is the root. A failed or cancelled
// stage fails its parent (failParentOnFailure), so nothing after it runs. Every job id is the
// TrainingJob row id, written before this is called; adding the same ids again is a no-op.
import { FlowProducer, type FlowJob } from 'bullmq';
import { getQueue, redisConnection, queuePrefix } from './connection';
import { QUEUES, SamplePayload, TrainPayload } from './names';
import type { RoundStage } from '../shared/stages';

const globalFlow = globalThis as unknown as { honeFlowProducer?: FlowProducer };

function flowProducer(): FlowProducer {
  return (globalFlow.honeFlowProducer ??= new FlowProducer({ connection: redisConnection(), prefix: queuePrefix() }));
}

const KEEP = { removeOnComplete: { age: 7 * 24 * 3600, count: 1000 }, removeOnFail: { age: 30 * 24 * 3600, count: 1000 } };

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
      opts: { jobId: s.jobId, failParentOnFailure: true, attempts: 1, ...KEEP },
      children: node ? [node] : undefined,
    };
  }
  await flowProducer().add(node!);
}

/** Enqueues one standalone training job (a base model's pretraining). */
export async function enqueueTrainJob(jobId: string, stage: RoundStage): Promise<void> {
  await getQueue(QUEUES.train).add(stage.toLowerCase(), TrainPayload.parse({ trainingJobId: jobId }), { jobId, attempts: 1, ...KEEP });
}

/** Enqueues sampling for a project; jobId = the SAMPLE TrainingJob row. */
export async function enqueueSample(payload: SamplePayload & { trainingJobId: string }): Promise<void> {
  const data = SamplePayload.parse(payload);
  await getQueue(QUEUES.sample).add('sample', data, { jobId: payload.trainingJobId, attempts: 2, backoff: { type: 'exponential', delay: 5000 }, ...KEEP });
}

export async function closeFlowProducer(): Promise<void> {
  await globalFlow.honeFlowProducer?.close();
  globalFlow.honeFlowProducer = undefined;
}
