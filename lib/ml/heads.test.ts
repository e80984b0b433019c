import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createTokenizer, encodeChat } from './tokenizer';
import { RewardModel, ValueModel, criticFromRewardModel, lastRealIndex, rewardNormalizer, scoreSequences } from './heads';
import { nano, testBackend } from './train/testkit';

const tok = createTokenizer('byte');
beforeAll(testBackend);

describe('heads', () => {
  it('finds the last real token under left and right padding', () => {
    expect(lastRealIndex([[1, 1, 0, 0], [0, 1, 1, 1], [0, 0, 0, 0]])).toEqual([1, 3, -1]);
  });

  it('reads the reward at the last real token: padding does not change it', async () => {
    const rm = new RewardModel(nano(21), undefined, 5);
    const a = encodeChat(tok, [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'yo' }]).ids;
    const b = encodeChat(tok, [{ role: 'user', content: 'a longer prompt' }, { role: 'assistant', content: 'and reply' }]).ids;
    const alone = await scoreSequences(rm, [a], tok.special.pad);
    const batched = await scoreSequences(rm, [a, b], tok.special.pad);
    expect(batched[0]).toBeCloseTo(alone[0], 4);
    expect(batched[1]).not.toBeCloseTo(batched[0], 4);
    rm.dispose();
  });

  it('initialises the critic from the RM: same backbone weights (copied) and head, bias = −offset', async () => {
    const rm = new RewardModel(nano(22), undefined, 6);
    const critic = criticFromRewardModel(rm, 0.25);
    const ids = encodeChat(tok, [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'there' }]).ids;
    const r = (await scoreSequences(rm, [ids], tok.special.pad))[0];
    const v = tf.tidy(() => critic.values(tf.tensor2d([ids], [1, ids.length], 'int32')).arraySync() as number[][]);
    // V at the last token = r − offset
    expect(v[0][ids.length - 1]).toBeCloseTo(r - 0.25, 4);
    // a copy: training the critic leaves the RM alone
    const w = critic.backbone.params.get('wte.weight')!;
    w.assign(tf.zerosLike(w));
    expect(rm.backbone.params.get('wte.weight')!.dataSync().some((x) => x !== 0)).toBe(true);
    expect([...critic.params().keys()]).toContain('score.bias');
    critic.dispose();
    rm.dispose();
  });

  it('normalises rewards to mean 0 over demonstrations', async () => {
    const rm = new RewardModel(nano(23), undefined, 7);
    const demos = ['one', 'two', 'three'].map((w) => ({
      messages: [
        { role: 'user' as const, content: `say ${w}` },
        { role: 'assistant' as const, content: w },
      ],
    }));
    const norm = await rewardNormalizer(rm, tok, demos);
    expect(norm.count).toBe(3);
    const scores = await norm.reward(
      demos.map((d) => d.messages.slice(0, 1)),
      demos.map((d) => d.messages[1].content),
    );
    expect(scores.reduce((a, b) => a + b, 0) / 3).toBeCloseTo(0, 4);
    expect(() => new ValueModel(nano(24), tf.zeros([1, 7]))).toThrow(/score.weight has shape \[1,7\]/);
    rm.dispose();
  });
});
