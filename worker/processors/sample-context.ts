// The sample queue's in-context branch: picks model-written turns of submitted dialogues (the
// job's recorded pickSeed), and for each samples K − 1 alternatives from the policy given the
// conversation up to that turn; the original turn is the K-th candidate. Sets already saved
// for a turn are not sampled again on a retry.
import type { Job } from 'bullmq';
import type { SamplePayload } from '../../lib/queue/names';
import { contextTarget, markContextSampled, saveContextSets } from '../../lib/data/sampling/context-work';
import { jobLog, markJobSucceeded, updateJobProgress } from '../../lib/data/training/jobs';
import { policy } from '../stages/policy-cache';
import { generate } from '../../lib/ml/generate';

const PICKS_PER_BATCH = 4;

export async function sampleInContext(job: Job, p: SamplePayload, checkpointId: string, rowId: string | null): Promise<{ sets: number; checkpointId: string }> {
  const pickSeed = p.pickSeed ?? 0;
  const target = await contextTarget(p.projectId, checkpointId, p.conversationIds ?? [], pickSeed);
  const alternatives = Math.max(1, target.k - 1);
  let written = 0;
  if (target.picks.length) {
    const { model, tokenizer } = await policy(checkpointId);
    for (let i = 0; i < target.picks.length; i += PICKS_PER_BATCH) {
      const batch = target.picks.slice(i, i + PICKS_PER_BATCH);
      const seed = (pickSeed + 1 + i) >>> 0;
      const contexts = batch.flatMap((pick) => Array.from({ length: alternatives }, () => pick.context));
      const gens = await generate(model, tokenizer, contexts, {
        maxNewTokens: target.params.maxTokens,
        temperature: target.params.temperature,
        topP: target.params.topP,
        seed,
        batchSize: 16,
      });
      const sets = batch.map((pick, b) => ({
        pick,
        seed,
        alternatives: gens.slice(b * alternatives, (b + 1) * alternatives).map((g) => ({ text: g.text, tokens: g.ids.length, logprob: g.logprob })),
      }));
      written += await saveContextSets(target, sets);
      if (rowId) await updateJobProgress(rowId, { step: written, totalSteps: target.picks.length, etaSeconds: null });
      await job.updateProgress({ step: written, totalSteps: target.picks.length });
    }
  }
  await markContextSampled(target.conversationIds);
  if (rowId) {
    await jobLog(
      rowId,
      'info',
      target.picks.length
        ? `Picked ${target.picks.length} model-written turn(s) in ${target.conversationIds.length} dialogue(s) (seed ${pickSeed}); each is a ranking task of the original and ${alternatives} alternative(s) from ${target.checkpoint.name}.`
        : `No model-written turn was picked in ${target.conversationIds.length} dialogue(s) (seed ${pickSeed}); no set was made.`,
    );
    await markJobSucceeded(rowId, { outputCheckpointId: checkpointId });
  }
  return { sets: written, checkpointId };
}
