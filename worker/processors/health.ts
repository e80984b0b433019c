// The `health` queue: answers pings so /api/health?deep=1 can prove a worker is consuming.
import { HealthPayload, QUEUES } from '../../lib/queue/names';
import type { Processor } from './types';

export const processor: Processor = {
  queue: QUEUES.health,
  concurrency: 4,
  async process(job, ctx) {
    const { at } = HealthPayload.parse(job.data);
    return { workerId: ctx.workerId, sentAt: at, answeredAt: new Date().toISOString() };
  },
};
