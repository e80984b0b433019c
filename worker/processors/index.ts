// Every processor this codebase has, loaded only for the queues a worker serves: the train,
// sample and infer processors load TensorFlow.js, so an export-only machine never imports them.
import type { QueueName } from '../../lib/queue/names';
import type { Processor } from './types';

const loaders: Record<QueueName, () => Promise<Processor>> = {
  health: async () => (await import('./health')).processor,
  export: async () => (await import('./export')).processor,
  train: async () => (await import('./train')).processor,
  sample: async () => (await import('./sample')).processor,
  infer: async () => (await import('./infer')).processor,
  models: async () => (await import('./models')).processor,
};

export async function loadProcessors(queues: QueueName[]): Promise<Processor[]> {
  return Promise.all(queues.map((q) => loaders[q]()));
}
