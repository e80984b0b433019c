// The one training loop, with a fake optimizer and step: when it checkpoints, evaluates, stops,
// resumes and refuses non-finite metrics, independent of any model.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { batchAt, epochStream, trainingLoop, type LoopCheckpoint, type LoopSpec } from './loop';

type Seen = { step: number; best: boolean; final: boolean; moments: number[] };

function fakeOptimizer() {
  let moment = 0;
  const o = {
    disposed: false,
    imported: null as number | null,
    apply: () => (moment += 1),
    exportState: () => new Map([['m', tf.scalar(moment)]]),
    importState: (s: Map<string, tf.Tensor>) => {
      moment = s.get('m')!.dataSync()[0];
      o.imported = moment;
    },
    dispose: () => {
      o.disposed = true;
    },
  };
  return o;
}

function spec(over: Partial<LoopSpec<Seen>> & { stopAt?: number; losses?: number[] } = {}) {
  const optimizer = fakeOptimizer();
  const checkpoints: Seen[] = [];
  const steps: { step: number; metrics: Record<string, number> }[] = [];
  const lrs: number[] = [];
  const s: LoopSpec<Seen> = {
    totalSteps: 10,
    checkpointEvery: 4,
    schedule: { lr: 1, minLr: 0.1, warmupSteps: 2, totalSteps: 10 },
    optimizer,
    async step(step, lr) {
      lrs.push(lr);
      optimizer.apply();
      return { loss: over.losses?.[step] ?? 1 / (step + 1), lr, tokens: 100 };
    },
    checkpoint: (c: LoopCheckpoint) => ({ step: c.step, best: c.best, final: c.final, moments: [...c.optimizerState.values()].map((t) => t.dataSync()[0]) }),
    callbacks: {
      onStep: (m) => void steps.push({ step: m.step, metrics: m.metrics }),
      onCheckpoint: async (c) => void checkpoints.push(c),
      shouldStop: () => over.stopAt !== undefined && steps.length >= over.stopAt,
    },
    ...over,
  };
  return { s, optimizer, checkpoints, steps, lrs };
}

describe('trainingLoop', () => {
  it('checkpoints every N steps and at the end, with the optimizer state of that step, and disposes the optimizer', async () => {
    const { s, optimizer, checkpoints, steps, lrs } = spec();
    const r = await trainingLoop(s);
    expect(r).toMatchObject({ steps: 10, stopped: false });
    expect(steps.map((x) => x.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(checkpoints).toEqual([
      { step: 4, best: false, final: false, moments: [4] },
      { step: 8, best: false, final: false, moments: [8] },
      { step: 10, best: false, final: true, moments: [10] },
    ]);
    expect(lrs[0]).toBeCloseTo(0.5); // warmup: step 0 of 2
    expect(lrs[1]).toBeCloseTo(1);
    expect(lrs[9]).toBeLessThan(0.2); // cosine toward minLr
    expect(steps[0].metrics.tokens_per_s).toBeGreaterThan(0);
    expect(optimizer.disposed).toBe(true);
  });

  it('evaluates every N steps and at the last step, and checkpoints on a new best', async () => {
    const evals: number[] = [];
    const losses = [5, 3, 4, 2, 6, 1];
    const { s, checkpoints, steps } = spec({
      totalSteps: 6,
      checkpointEvery: 100,
      evaluation: {
        every: 2,
        finite: ['eval_loss'],
        run: async (step) => {
          evals.push(step);
          return { metrics: { eval_loss: losses[step - 1] }, best: step !== 6 };
        },
      },
    });
    await trainingLoop(s);
    expect(evals).toEqual([2, 4, 6]);
    expect(steps[1].metrics.eval_loss).toBe(3);
    expect(steps[0].metrics.eval_loss).toBeUndefined();
    expect(checkpoints.map((c) => [c.step, c.best, c.final])).toEqual([
      [2, true, false],
      [4, true, false],
      [6, false, true],
    ]);
  });

  it('stops when asked, with a final checkpoint of the last completed step', async () => {
    const { s, checkpoints } = spec({ stopAt: 5 });
    const r = await trainingLoop(s);
    expect(r).toMatchObject({ steps: 5, stopped: true });
    expect(checkpoints.at(-1)).toEqual({ step: 5, best: false, final: true, moments: [5] });
  });

  it('resumes at the checkpoint’s step with its optimizer state and the schedule of that step', async () => {
    const straight = spec();
    await trainingLoop(straight.s);
    const resumed = spec();
    const r = await trainingLoop({ ...resumed.s, resume: { step: 4, optimizerState: new Map([['m', tf.scalar(4)]]) } });
    expect(resumed.optimizer.imported).toBe(4);
    expect(r.steps).toBe(10);
    expect(resumed.steps.map((x) => x.step)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(resumed.lrs).toEqual(straight.lrs.slice(4));
    expect(resumed.checkpoints.at(-1)).toEqual(straight.checkpoints.at(-1));
  });

  it('refuses a non-finite metric naming the step, without a checkpoint, and still disposes the optimizer', async () => {
    const { s, checkpoints, optimizer } = spec({ losses: [1, 1, NaN] });
    await expect(trainingLoop(s)).rejects.toThrow('non-finite loss (NaN) at step 3');
    expect(checkpoints).toEqual([]);
    expect(optimizer.disposed).toBe(true);
  });

  it('checks only the metrics it is told to', async () => {
    const { s } = spec({ finite: ['loss'], step: async (_step, lr) => ({ loss: 1, lr, accuracy: NaN }) });
    await expect(trainingLoop(s)).resolves.toMatchObject({ steps: 10 });
  });
});

describe('epochStream', () => {
  it('reads every item once per epoch, in an order that depends only on (seed, k)', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    const at = epochStream(items, 3);
    const first = batchAt(at, 0, 5);
    expect([...first].sort()).toEqual(items);
    const second = batchAt(at, 1, 5);
    expect([...second].sort()).toEqual(items);
    expect(second).not.toEqual(first);
    // A fresh stream (a resumed run) reads the same items at the same positions.
    expect(batchAt(epochStream(items, 3), 1, 5)).toEqual(second);
    expect(batchAt(epochStream(items, 4), 0, 5)).not.toEqual(first);
  });

  it('lets a batch run across an epoch boundary', () => {
    const at = epochStream([1, 2, 3], 0);
    const b = batchAt(at, 1, 2); // k = 2, 3: the last of epoch 0, the first of epoch 1
    expect(b[0]).toBe(batchAt(epochStream([1, 2, 3], 0), 0, 3)[2]);
    expect(b[1]).toBe(batchAt(epochStream([1, 2, 3], 0), 1, 3)[0]);
  });
});
