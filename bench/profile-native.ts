// Where a training step's time goes on the native backend, TensorFlow op by op: wall time of one
// step, the time inside TensorFlow's ops, and the ops that took most, by name and input shapes.
// A development tool (not part of bench:train), for the next round of speed work.
//
//   npx tsx bench/profile-native.ts [sft|rm|ppo] [small|gpt2]      (default: sft small)
//
// Counts every op the backend runs through executeSingleOutput/executeMultipleOutputs: tf.js's
// own kernels on tfjs-node and Hone's fused ops (lib/ml/ops/native.ts) alike.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../lib/ml/backend';
import { GPT } from '../lib/ml/model/gpt';
import { PRESETS } from '../lib/ml/model/config';
import { createTokenizer, type ChatMessage } from '../lib/ml/tokenizer';
import { RewardModel, criticFromRewardModel } from '../lib/ml/heads';
import { createLmStep } from '../lib/ml/train/lm';
import { SftConfigSchema } from '../lib/shared/stage-config';
import { createRewardStep } from '../lib/ml/train/reward';
import { createPpoStep } from '../lib/ml/train/ppo';
import { toRow } from '../lib/ml/train/lm';
import { createRng } from '../lib/ml/sample';

const [which = 'sft', shape = 'small'] = process.argv.slice(2);
await initBackend({ backend: 'tensorflow' });
const cfg = PRESETS[shape === 'gpt2' ? 'gpt2' : 'small'];
const [B, T] = shape === 'gpt2' ? [4, 256] : [8, 128];
const rng = createRng(1);
const ids = (n: number) => Array.from({ length: n }, () => 32 + Math.floor(rng() * 95));
const policy = new GPT(cfg, { seed: 1 });

/** The step to profile, after two warm-up runs. */
async function makeStep(): Promise<() => unknown> {
  if (which === 'sft') {
    const sft = createLmStep(policy, SftConfigSchema.parse({ microBatchSize: B }), 0);
    const rows = Array.from({ length: B }, () => toRow(ids(T + 1), new Array(T + 1).fill(1), T));
    return () => sft.step(rows, 1e-5);
  }
  const rm = new RewardModel(policy.clone(), undefined, 1);
  if (which === 'rm') {
    const step = createRewardStep(rm, { microBatchSize: B / 4 }, 0);
    const rankings = Array.from({ length: B / 4 }, () => ({ seqs: Array.from({ length: 4 }, () => ids(T)), tiers: [[0], [1, 2], [3]] }));
    return () => step.step(rankings, 1e-5);
  }
  const tok = createTokenizer(cfg.tokenizer);
  const contexts: ChatMessage[][] = Array.from({ length: B }, () => [{ role: 'user', content: String.fromCharCode(...ids(T - 48)) }]);
  const ppo = createPpoStep({ policy, reference: policy.clone(), critic: criticFromRewardModel(rm), tokenizer: tok, reward: (_c, r) => r.map((x) => x.length), config: { batchSize: B, miniBatchSize: B, microBatchSize: B, ppoEpochs: 1, maxNewTokens: 32, temperature: 1 } });
  const batch = await ppo.rollout(contexts, 0.02, 1);
  let seed = 0;
  return () => ppo.update(batch, 1e-5, seed++, 0);
}

const step = await makeStep();
await step();
await step();
const be = tf.backend() as unknown as Record<string, (name: string, attrs: unknown, inputs: tf.Tensor[], n?: number) => unknown>;
const byOp = new Map<string, { n: number; ms: number }>();
for (const fn of ['executeSingleOutput', 'executeMultipleOutputs']) {
  const original = be[fn].bind(be);
  be[fn] = (name, attrs, inputs, n) => {
    const t0 = performance.now();
    const out = original(name, attrs, inputs, n);
    const key = `${name} ${inputs.map((t) => `[${t.shape}]`).join('')}`;
    const a = byOp.get(key) ?? { n: 0, ms: 0 };
    a.n++;
    a.ms += performance.now() - t0;
    byOp.set(key, a);
    return out;
  };
}
const t0 = performance.now();
await step();
const wall = performance.now() - t0;
const inOps = [...byOp.values()].reduce((a, b) => a + b.ms, 0);
const count = [...byOp.values()].reduce((a, b) => a + b.n, 0);
console.log(`${which} step, ${shape}: ${wall.toFixed(1)} ms wall, ${inOps.toFixed(1)} ms in ${count} TensorFlow ops`);
for (const [k, v] of [...byOp].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(`${v.ms.toFixed(2).padStart(9)} ms ${String(v.n).padStart(4)}×  ${k}`);
