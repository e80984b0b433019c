// The `sample` queue: the active policy (or the named checkpoint) writes K completions for each
// of the project's prompts it has not sampled yet; each set becomes a RANKING task wanted by the
// project's overlap. Runs on promotion and after a prompt import. Tracked by a SAMPLE
// TrainingJob row whose id is the job id. A database or Redis outage is retried with backoff
// (sets already saved are not sampled again), and so is a lost GPU device once the backend is
// recovered (failAttempt); other failures, GPU out of memory included, are final.
// With conversationIds it samples in context instead (sample-context.ts). Jobs named "arena"
// write an arena evaluation's replies (arena.ts).
import { initBackend } from '../../lib/ml/backend';
import { env } from '../../lib/env';
import { ARENA_JOB_NAME, QUEUES, SamplePayload } from '../../lib/queue/names';
import { sampleTarget, saveSampledSets } from '../../lib/data/sampling/sample-work';
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
      let written = 0;
      for (let i = 0; i < target.prompts.length; i += PROMPTS_PER_BATCH) {
        const batch = target.prompts.slice(i, i + PROMPTS_PER_BATCH);
        const contexts = batch.flatMap((pr) => Array.from({ length: target.k }, () => [{ role: 'user' as const, content: pr.text }]));
        const gens = await generate(model, tokenizer, contexts, {
          maxNewTokens: target.params.maxTokens,
          temperature: target.params.temperature,
          topP: target.params.topP,
          seed: (Date.now() + i) >>> 0,
          batchSize: 16,
        });
        const sets = batch.map((pr, b) => ({
          promptId: pr.id,
          completions: gens.slice(b * target.k, (b + 1) * target.k).map((g) => ({ text: g.text, tokens: g.ids.length, logprob: g.logprob })),
        }));
        written += (await saveSampledSets(target, sets)).sets;
        if (rowId) await updateJobProgress(rowId, { step: written, totalSteps: target.prompts.length, etaSeconds: null });
        await job.updateProgress({ step: written, totalSteps: target.prompts.length });
      }
      if (rowId) {
        await jobLog(rowId, 'info', `Sampled ${written} completion set(s) of ${target.k} with ${target.checkpoint.name}; each is a ranking task now.`);
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
