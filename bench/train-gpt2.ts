// One SFT step and one PPO step of the GPT-2 124M shape on one backend, with seconds and peak
// resident memory: the part of `npm run bench:train` (bench/train.ts) that proves a real-size
// base trains here (a WebAssembly heap stops at 4 GiB; PPO holds four 124M models and Adam's
// moments for two of them).
//
//   npx tsx bench/train-gpt2.ts [backend]     (default: HONE_TF_BACKEND, else automatic)
//
// The weights are freshly initialised (the shape is what costs time and memory; no download).
// SFT: 4 rows × 256 tokens per optimizer step. PPO: 4 prompts of ~190 tokens, 32 sampled reply
// tokens; the policy, the frozen reference, the reward model (scores the replies) and the critic
// (from the reward model), one update epoch over one mini-batch of 4. Each is run twice and the
// second run counts (the first pays for allocating ~8 GB the first time, and kernel set-up).
// Prints one JSON object as its last line.
import { initBackend } from '../lib/ml/backend';
import { GPT } from '../lib/ml/model/gpt';
import { PRESETS, parameterCount } from '../lib/ml/model/config';
import { createTokenizer, type ChatMessage } from '../lib/ml/tokenizer';
import { RewardModel, criticFromRewardModel, rmReward } from '../lib/ml/heads';
import { createLmStep } from '../lib/ml/train/lm';
import { SftConfigSchema } from '../lib/shared/stage-config';
import { createPpoStep } from '../lib/ml/train/ppo';
import { toRow } from '../lib/ml/train/lm';
import { createRng } from '../lib/ml/sample';

const info = await initBackend({ backend: process.argv[2] || process.env.HONE_TF_BACKEND || undefined, wasmThreads: process.env.HONE_WASM_THREADS }).catch((e: Error) => {
  console.log(JSON.stringify({ error: e.message }));
  process.exit(1);
});
const cfg = PRESETS.gpt2;
const rng = createRng(1);
const ids = (n: number) => Array.from({ length: n }, () => Math.floor(rng() * 50000));
const log = (s: string) => process.stderr.write(`${s}\n`);
const seconds = (t0: number) => Math.round((performance.now() - t0) / 10) / 100;
const rssMiB = () => Math.round(process.memoryUsage().rss / 2 ** 20);
log(`gpt2 shape (${parameterCount(cfg)} parameters) on ${info.name}`);

const policy = new GPT(cfg, { seed: 1 });
const rows = Array.from({ length: 4 }, () => toRow(ids(257), new Array(257).fill(1), 256));
const sft = createLmStep(policy, SftConfigSchema.parse({ microBatchSize: 4 }), 0);
const sftRuns: number[] = [];
for (let i = 0; i < 2; i++) {
  const t0 = performance.now();
  await sft.step(rows, 1e-5);
  sftRuns.push(seconds(t0));
  log(`SFT step ${i + 1}: ${sftRuns[i]} s, rss ${rssMiB()} MiB`);
}
sft.dispose();

const tok = createTokenizer('gpt2');
const reference = policy.clone();
const rm = new RewardModel(policy.clone(), undefined, 1);
const critic = criticFromRewardModel(rm);
const contexts: ChatMessage[][] = Array.from({ length: 4 }, () => [{ role: 'user', content: tok.decode(ids(180)) }]);
const ppo = createPpoStep({
  policy,
  reference,
  critic,
  tokenizer: tok,
  reward: rmReward(rm, tok),
  config: { batchSize: 4, miniBatchSize: 4, microBatchSize: 4, ppoEpochs: 1, maxNewTokens: 32, temperature: 1 },
});
const ppoRuns: { rolloutSeconds: number; updateSeconds: number; length: number; sampledTokensPerSec: number }[] = [];
for (let i = 0; i < 2; i++) {
  const t0 = performance.now();
  const batch = await ppo.rollout(contexts, 0.02, i);
  const rolloutSeconds = seconds(t0);
  const t1 = performance.now();
  await ppo.update(batch, 1e-5, i, 0);
  ppoRuns.push({ rolloutSeconds, updateSeconds: seconds(t1), length: batch.ro.queryWidth + batch.ro.responseWidth, sampledTokensPerSec: Math.round(batch.stats.sample_tokens_per_s * 10) / 10 });
  log(`PPO step ${i + 1}: ${JSON.stringify(ppoRuns[i])}, rss ${rssMiB()} MiB`);
}
ppo.dispose();
const last = ppoRuns[1];
console.log(
  JSON.stringify({
    backend: info.name,
    parameters: parameterCount(cfg),
    sft: { stepSeconds: sftRuns[1], firstStepSeconds: sftRuns[0], batch: [4, 256], tokensPerSec: Math.round(1024 / sftRuns[1]) },
    ppo: {
      stepSeconds: Math.round((last.rolloutSeconds + last.updateSeconds) * 100) / 100,
      rolloutSeconds: last.rolloutSeconds,
      updateSeconds: last.updateSeconds,
      firstStepSeconds: Math.round((ppoRuns[0].rolloutSeconds + ppoRuns[0].updateSeconds) * 100) / 100,
      batch: [4, last.length],
      newTokens: 32,
      models: 'policy + reference + reward model + critic, Adam on policy + critic',
    },
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
