// The arena job (sample queue, job name "arena"): each model of an evaluation writes one reply
// per prompt, with the recorded settings and the same seed for every model, so the replies
// differ by the weights only; then the battles and their ARENA tasks are made and the
// evaluation opens. Progress is replies written / (models × prompts). A retried job writes only
// the replies still missing. A final failure marks the evaluation FAILED with the reason.
import type { Job } from 'bullmq';
import { ArenaPayload } from '../../lib/queue/names';
import { arenaTarget, evaluationClosed, failEvaluation, openBattles, saveReplies } from '../../lib/data/arena/generate-work';
import { jobLog, markJobFailed, markJobRunning, markJobSucceeded, updateJobProgress } from '../../lib/data/training/jobs';
import { generate } from '../../lib/ml/generate';
import { policy } from '../stages/policy-cache';
import { failAttempt } from './outage-retry';
import { gpuHandling } from './gpu-recovery';
import type { ProcessorContext } from './types';

const PROMPTS_PER_BATCH = 8;

export type ArenaRun = { replies: number; battles: number; tasks: number; opened: boolean };

/** Writes the missing replies and opens the battles; `progress` is told after every batch. */
export async function writeArena(evaluationId: string, progress: (p: { step: number; totalSteps: number }) => Promise<void>): Promise<ArenaRun & { stopped: boolean }> {
  const t = await arenaTarget(evaluationId);
  if (!t.prompts.length) throw new Error('None of the evaluation\'s prompts exists any more: start a new evaluation.');
  const totalSteps = t.models.length * t.prompts.length;
  let step = t.done.size;
  let written = 0;
  for (const m of t.models) {
    if (!m.checkpointId) throw new Error(`The checkpoint of model "${m.name}" was deleted: its replies cannot be written.`);
    if (t.prompts.every((p) => t.done.has(`${m.id}:${p.id}`))) continue;
    const { model, tokenizer } = await policy(m.checkpointId);
    // fixed batches, so a batch's seed is the same for every model and on a retry
    for (let i = 0; i < t.prompts.length; i += PROMPTS_PER_BATCH) {
      const batch = t.prompts.slice(i, i + PROMPTS_PER_BATCH);
      if (batch.every((p) => t.done.has(`${m.id}:${p.id}`))) continue;
      if (await evaluationClosed(evaluationId)) return { replies: written, battles: 0, tasks: 0, opened: false, stopped: true };
      const gens = await generate(
        model,
        tokenizer,
        batch.map((p) => [{ role: 'user' as const, content: p.text }]),
        { maxNewTokens: t.params.maxNewTokens, temperature: t.params.temperature, topP: t.params.topP, seed: (t.params.seed + i) >>> 0, batchSize: PROMPTS_PER_BATCH },
      );
      const fresh = batch.map((p, b) => ({ promptId: p.id, text: gens[b].text, tokens: gens[b].ids.length })).filter((r) => !t.done.has(`${m.id}:${r.promptId}`));
      written += await saveReplies(evaluationId, m.id, fresh);
      for (const r of fresh) t.done.add(`${m.id}:${r.promptId}`);
      step += fresh.length;
      await progress({ step, totalSteps });
    }
  }
  const opened = await openBattles(evaluationId);
  return { replies: written, ...opened, stopped: false };
}

export async function processArena(job: Job, ctx: ProcessorContext): Promise<ArenaRun> {
  const p = ArenaPayload.parse(job.data);
  const rowId = p.trainingJobId;
  const gpu = gpuHandling(ctx, (message) => jobLog(rowId, 'error', message));
  try {
    await markJobRunning(rowId, ctx.workerId, ctx.backend());
    const run = await writeArena(p.arenaEvaluationId, async (pr) => {
      await updateJobProgress(rowId, { ...pr, etaSeconds: null });
      await job.updateProgress(pr);
    });
    await jobLog(
      rowId,
      'info',
      run.stopped
        ? `The evaluation was closed while its replies were written; stopped after ${run.replies} new reply(ies).`
        : `Wrote ${run.replies} reply(ies); ${run.battles} battle(s), ${run.tasks} new arena task(s).`,
    );
    await markJobSucceeded(rowId);
    return run;
  } catch (e) {
    throw await failAttempt(job, e, ctx.log.child({ trainingJobId: rowId, arenaEvaluationId: p.arenaEvaluationId }), async (message) => {
      await markJobFailed(rowId, message);
      await failEvaluation(p.arenaEvaluationId, `The replies could not be written: ${message}`);
    }, gpu);
  }
}
