// The `sample` queue: the active policy (or the named checkpoint) writes K completions for each
// of the project's prompts it has not sampled yet; each set becomes a RANKING task wanted by the
// project's overlap. Runs on promotion and after a prompt import. Tracked by a SAMPLE
// TrainingJob row whose id is the job id. A database or Redis outage is retried with backoff
// (sets already saved are not sampled again), and so is a lost GPU device once the backend is
// recovered (failAttempt); other failures, GPU out of memory included, are final.
// With conversationIds it samples in context instead (sample-context.ts). Jobs named "arena"
// write an arena evaluation's replies (arena.ts).
// With the project's bestOf n > 1 each completion is the reward model's best of n samples
// (lib/ml/best-of-n.ts), judged by the RM of the policy's round or the newest of its preset;
// without one the job says so in its log and samples plainly.
import { initBackend } from '../../lib/ml/backend';
import { env } from '../../lib/env';
import { ARENA_JOB_NAME, QUEUES, SamplePayload } from '../../lib/queue/names';
import { sampleTarget, saveSampledSets, type SampledWith } from '../../lib/data/sampling/sample-work';
import { bestOfRewardModel } from '../../lib/data/sampling/best-of-reward-model';
import { resolveUri } from '../../lib/data/training/paths';
import { loadRewardModel } from '../../lib/ml/pipeline/load-models';
import { bestOfN } from '../../lib/ml/best-of-n';
import type { RewardModel } from '../../lib/ml/heads';
import type { GPT } from '../../lib/ml/model/gpt';
import { jobLog, markJobFailed, markJobRunning, markJobSucceeded, updateJobProgress } from '../../lib/data/training/jobs';
import { policy, resolvePolicyId } from '../stages/policy-cache';
import { generate } from '../../lib/ml/generate';
import { failAttempt } from './outage-retry';
import { gpuHandling } from './gpu-recovery';
import { sampleInContext } from './sample-context';
import { processArena } from './arena';
import type { Processor } from './types';

const PROMPTS_PER_BATCH = 4;

export const processor: Processor = {
  queue: QUEUES.sample,
  concurrency: 1,
  lockDuration: 60_000,
  async init(ctx) {
    const info = await initBackend({ backend: env().HONE_TF_BACKEND });
    ctx.setBackend?.(info.name);
  },
  async process(job, ctx) {
    if (job.name === ARENA_JOB_NAME) return processArena(job, ctx);
    const p = SamplePayload.parse(job.data);
    const rowId = p.trainingJobId ?? null;
    const gpu = gpuHandling(ctx, rowId ? (message) => jobLog(rowId, 'error', message) : undefined);
    try {
      if (rowId) await markJobRunning(rowId, ctx.workerId, ctx.backend());
      const checkpointId = await resolvePolicyId({ checkpointId: p.checkpointId, projectId: p.projectId });
      if (p.conversationIds) return await sampleInContext(job, p, checkpointId, rowId);
      const target = await sampleTarget(p.projectId, checkpointId, p.promptIds);
      const { model, tokenizer } = await policy(checkpointId);
      const judge = target.params.bestOf > 1 ? await loadJudge(checkpointId, model, target.params.bestOf, rowId) : null;
      let written = 0;
      try {
        for (let i = 0; i < target.prompts.length; i += PROMPTS_PER_BATCH) {
          const batch = target.prompts.slice(i, i + PROMPTS_PER_BATCH);
          const contexts = batch.flatMap((pr) => Array.from({ length: target.k }, () => [{ role: 'user' as const, content: pr.text }]));
          const gen = { maxNewTokens: target.params.maxTokens, temperature: target.params.temperature, topP: target.params.topP, seed: (Date.now() + i) >>> 0, batchSize: 16 };
          const gens = judge
            ? await bestOfN({ policy: model, rm: judge.rm, tokenizer, contexts, n: target.params.bestOf, generate: gen })
            : await generate(model, tokenizer, contexts, gen);
          const sets = batch.map((pr, b) => ({
            promptId: pr.id,
            completions: gens.slice(b * target.k, (b + 1) * target.k).map((g) => ({ text: g.text, tokens: g.ids.length, logprob: g.logprob })),
          }));
          const sampledWith: SampledWith | undefined = judge ? { bestOf: target.params.bestOf, rewardModel: judge.info, seed: gen.seed } : undefined;
          written += (await saveSampledSets(target, sets, sampledWith)).sets;
          if (rowId) await updateJobProgress(rowId, { step: written, totalSteps: target.prompts.length, etaSeconds: null });
          await job.updateProgress({ step: written, totalSteps: target.prompts.length });
        }
      } finally {
        judge?.rm.dispose();
      }
      if (rowId) {
        const how = judge ? `, each completion the best of ${target.params.bestOf} by reward model ${judge.info.name}` : '';
        await jobLog(rowId, 'info', `Sampled ${written} completion set(s) of ${target.k} with ${target.checkpoint.name}${how}; each is a ranking task now.`);
        await markJobSucceeded(rowId, { outputCheckpointId: checkpointId });
      }
      return { sets: written, checkpointId };
    } catch (e) {
      throw await failAttempt(job, e, ctx.log.child({ trainingJobId: rowId }), async (message) => {
        if (rowId) await markJobFailed(rowId, message);
      }, gpu);
    }
  },
};

/** The reward model that picks best-of-n completions for this policy, loaded; null (logged) when there is none. */
async function loadJudge(policyId: string, model: GPT, n: number, rowId: string | null): Promise<{ rm: RewardModel; info: { id: string; name: string } } | null> {
  const found = await bestOfRewardModel(policyId);
  const plainly = async (why: string) => {
    if (rowId) await jobLog(rowId, 'warn', `Best of ${n} is set, but ${why}; sampled plainly (one sample per completion).`);
    return null;
  };
  if (!found) return plainly("this project has no ready reward model of the policy's round or preset");
  const { rm } = await loadRewardModel(resolveUri(found.uri));
  // A preset fixes the tokenizer; a registered base of another vocabulary could still differ.
  if (rm.backbone.config.vocabSize !== model.config.vocabSize) {
    rm.dispose();
    return plainly(`reward model ${found.name} has another vocabulary than the policy`);
  }
  return { rm, info: { id: found.id, name: found.name } };
}
