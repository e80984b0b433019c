import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { GPT } from '../model/gpt';
import { PRESETS } from '../model/config';
import { createTokenizer } from '../tokenizer';
import type { SftExample } from '../data/schemas';
import { sftRows, trainSft, type SftCheckpoint } from './sft';
import { createLmStep } from './lm';
import { SftConfigSchema } from '../../shared/stage-config';
import { trainPretrain } from './pretrain';
import { disposeState, maxAbsDiff, nano, saveState, testBackend, unchanged, weightsOf, type SavedState } from './testkit';

const tok = createTokenizer('byte');
const demos: SftExample[] = [
  { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello there friend' }] },
  { messages: [{ role: 'user', content: 'color?' }, { role: 'assistant', content: 'blue sky' }] },
  {
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'two' },
      { role: 'user', content: 'three' },
      { role: 'assistant', content: 'four' },
    ],
  },
];

beforeAll(testBackend);

describe('SFT', () => {
  it('puts loss weight on assistant tokens and their end-of-turn only', () => {
    const [row] = sftRows(tok, [demos[0]], 64);
    // <|endoftext|><|user|>hi<|end|><|assistant|>hello there friend<|end|>: targets are shifted by one
    const weighted = row.targets.filter((_, i) => row.weights[i] === 1);
    expect(tok.decode(weighted)).toBe('hello there friend<|end|>');
  });

  it('overfits a tiny batch on nano (loss falls a lot)', async () => {
    const model = nano(1);
    const losses: number[] = [];
    const r = await trainSft({
      model,
      tokenizer: tok,
      data: demos,
      evaluation: demos,
      config: { steps: 60, batchSize: 3, lr: 3e-3, warmupSteps: 5, evalEvery: 20 },
      callbacks: { onStep: (m) => void losses.push(m.metrics.loss) },
    });
    expect(losses[0]).toBeGreaterThan(4.5); // ≈ ln 264 at init
    expect(r.trainLoss).toBeLessThan(0.5);
    expect(r.bestEvalLoss).toBeLessThan(0.5);
    expect(r.bestWeights?.size).toBe(model.params.size);
    for (const t of r.bestWeights!.values()) t.dispose();
    model.dispose();
  });

  it('changes every parameter in one step and leaks no tensor', async () => {
    const model = nano(2);
    const runner = createLmStep(model, SftConfigSchema.parse({}), tok.special.pad);
    const rows = sftRows(tok, demos, 64);
    const before = weightsOf(model.params);
    await runner.step(rows, 1e-3);
    expect(unchanged(before, weightsOf(model.params))).toEqual([]);
    const n = tf.memory().numTensors;
    await runner.step(rows, 1e-3);
    expect(tf.memory().numTensors).toBe(n);
    runner.dispose();
    model.dispose();
  });

  it('resumes from its last checkpoint after a crash exactly where a straight run is', async () => {
    const config = { steps: 6, batchSize: 2, microBatchSize: 1, lr: 2e-3, warmupSteps: 2, evalEvery: 2, checkpointEvery: 2 };
    const straight = nano(3);
    const a = await trainSft({ model: straight, tokenizer: tok, data: demos, evaluation: demos, config });

    const crashed = nano(3);
    let saved: SavedState | undefined;
    await expect(
      trainSft({
        model: crashed,
        tokenizer: tok,
        data: demos,
        evaluation: demos,
        config,
        callbacks: {
          onCheckpoint: async (s: SftCheckpoint) => {
            disposeState(saved);
            saved = saveState(s.step, [s.model.params], s.optimizerState, s.trainerState);
          },
          onStep: (m) => {
            if (m.step === 3) throw new Error('killed');
          },
        },
      }),
    ).rejects.toThrow('killed');
    expect(saved!.resume.step).toBe(2);
    const resumed = new GPT(PRESETS.nano, { weights: saved!.weights[0] });
    const b = await trainSft({ model: resumed, tokenizer: tok, data: demos, evaluation: demos, config, resume: saved!.resume });
    expect(b.steps).toBe(6);
    expect(b.trainLoss).toBeCloseTo(a.trainLoss, 4);
    expect(b.evalLoss!).toBeCloseTo(a.evalLoss!, 4);
    expect(maxAbsDiff(weightsOf(straight.params), weightsOf(resumed.params))).toBeLessThan(1e-5);
    disposeState(saved);
    for (const r of [a, b]) for (const t of r.bestWeights?.values() ?? []) t.dispose();
    [straight, crashed, resumed].forEach((m) => m.dispose());
  });

  it('calls onCheckpoint with best: true on a new best held-out loss, and stops on request', async () => {
    const model = nano(4);
    const calls: Array<{ step: number; best: boolean; final: boolean }> = [];
    const r = await trainSft({
      model,
      tokenizer: tok,
      data: demos,
      evaluation: demos,
      config: { steps: 10, batchSize: 3, lr: 3e-3, evalEvery: 2, checkpointEvery: 100 },
      callbacks: {
        onCheckpoint: async (s) => void calls.push({ step: s.step, best: s.best, final: s.final }),
        shouldStop: () => calls.length >= 2,
      },
    });
    expect(r.stopped).toBe(true);
    expect(calls.slice(0, 2)).toEqual([
      { step: 2, best: true, final: false },
      { step: 4, best: true, final: false },
    ]);
    expect(calls[2]).toEqual({ step: 4, best: false, final: true });
    for (const t of r.bestWeights?.values() ?? []) t.dispose();
    model.dispose();
  });

  it('skips a conversation whose prompt fills the context (the nano bug) and trains on the rest; stops past maxSkipFraction', async () => {
    const model = nano(6);
    const long = { id: 'c0mx6', messages: [{ role: 'user' as const, content: 'an ordinary question of seventy characters, longer than nano’s context' }, { role: 'assistant' as const, content: 'yes' }] };
    const data = [long, ...demos, ...demos];
    const seen: string[] = [];
    const r = await trainSft({ model, tokenizer: tok, data, config: { steps: 1, evalFraction: 0 }, onScreened: (s) => void seen.push(s.skipped.map((x) => `${x.id}:${x.reason}`).join()) });
    expect(r.steps).toBe(1);
    expect(seen).toEqual(['c0mx6:too-long']);
    await expect(trainSft({ model, tokenizer: tok, data: [long, long, ...demos], config: { steps: 1, evalFraction: 0 } })).rejects.toThrow(
      /^2 of 5 SFT items \(40%\) cannot be used, more than the limit of 20% \(2 prompt longer than the model's context \(64 tokens\)/,
    );
    model.dispose();
  });

  it('rejects an empty dataset, unknown config keys, and stops on a non-finite loss naming the step', async () => {
    const model = nano(5);
    await expect(trainSft({ model, tokenizer: tok, data: [] })).rejects.toThrow(/empty dataset/);
    await expect(trainSft({ model, tokenizer: tok, data: demos, config: { stepz: 3 } as never })).rejects.toThrow(/stepz/);
    // lr 1e30 blows the weights up after the first update: the second step's loss is not finite.
    await expect(
      trainSft({ model, tokenizer: tok, data: demos, config: { steps: 5, lr: 1e30, warmupSteps: 0, maxGradNorm: 0, evalFraction: 0 } }),
    ).rejects.toThrow(/non-finite (loss|grad_norm) .* at step 2/);
    model.dispose();
  });
});

describe('pretraining', () => {
  it('lowers the next-token loss on a small corpus', async () => {
    const model = nano(6);
    const texts = Array.from({ length: 20 }, (_, i) => ({ text: `the cat sat on mat number ${i % 5}. ` }));
    const losses: number[] = [];
    const r = await trainPretrain({
      model,
      tokenizer: tok,
      data: texts,
      config: { steps: 30, batchSize: 4, blockSize: 32, lr: 3e-3, warmupSteps: 3, evalEvery: 30, evalFraction: 0.1 },
      callbacks: { onStep: (m) => void losses.push(m.metrics.loss) },
    });
    expect(r.trainLoss).toBeLessThan(losses[0] / 2);
    expect(r.evalLoss).not.toBeNull();
    await expect(trainPretrain({ model, tokenizer: tok, data: [] })).rejects.toThrow(/empty dataset/);
    model.dispose();
  });
});
