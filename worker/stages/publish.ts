// PUBLISH: loads each of the round's final folders back (a folder that does not load is never
// registered), then registers the SFT, RM and POLICY rows (the policy is PPO's or DPO's output,
// else the SFT model) in one transaction (lib/data
// publishRound), with the evaluation's verdict. With autoPromote the policy becomes active and
// sampling for the next round is requested. The train processor then marks the round SUCCEEDED.
import { readCheckpointMeta } from '../../lib/ml/checkpoint';
import { publishRound, type PublishEntry } from '../../lib/data/checkpoints/publish-round';
import { jobMetrics, roundJobs } from '../../lib/data/training/jobs';
import { resolveUri } from '../../lib/data/training/paths';
import { requestSampling } from '../../lib/data/sampling/request-sampling';
import { findEvaluation } from '../../lib/shared/evaluation';
import { has, outputUri, policyStage } from './inputs';
import type { StageRun } from './run';

export async function runPublish(run: StageRun): Promise<{ stopped: boolean; step: number }> {
  const { round, row, reporter } = run;
  const jobs = await roundJobs(round.id);
  const jobOf = (stage: string) => jobs.find((j) => j.stage === stage)?.id ?? null;
  const evalJob = jobOf('EVALUATE');
  const evalRows = evalJob ? await jobMetrics(evalJob) : [];
  const evaluation = findEvaluation(evalRows);
  // A round without an EVALUATE stage publishes its policy as it is.
  const passed = evaluation ? evaluation.passed : true;

  const entries: PublishEntry[] = [];
  const add = async (kind: PublishEntry['kind'], stage: 'sft' | 'rm' | 'ppo' | 'dpo', jobId: string | null) => {
    const uri = outputUri(round, stage);
    let meta;
    try {
      meta = await readCheckpointMeta(resolveUri(uri));
    } catch (e) {
      throw new Error(`The ${stage.toUpperCase()} checkpoint at ${resolveUri(uri)} cannot be read (${(e as Error).message}); nothing was published.`);
    }
    entries.push({ kind, jobId, uri, step: meta.hone.step, metrics: (meta.hone.metrics ?? {}) as Record<string, unknown> });
  };
  if (has(round, 'sft')) await add('SFT', 'sft', jobOf('SFT'));
  if (has(round, 'rm')) await add('RM', 'rm', jobOf('RM'));
  const trained = policyStage(round);
  if (trained) await add('POLICY', trained, jobOf(trained.toUpperCase()));
  else if (has(round, 'sft')) entries.push({ ...entries[0], kind: 'POLICY', jobId: null });
  else throw new Error('This round trained no policy (none of sft, ppo and dpo ran), so there is nothing to publish.');

  const res = await publishRound({ roundId: round.id, publishJobId: row.id, entries, evaluationPassed: passed, evaluation });
  await reporter.onStep({ step: 1, totalSteps: 1, metrics: {} });
  await run.note(
    `Published ${res.checkpoints.map((c) => `${c.kind} ${c.name}`).join(', ')}` +
      (res.failedEval ? ' — the policy FAILED evaluation and cannot be promoted.' : res.promoted ? ' — auto-promoted (project.autoPromote).' : ' — promote the policy to make it sample the next round.'),
    res.failedEval ? 'warn' : 'info',
  );
  if (res.promoted) {
    const s = await requestSampling(round.projectId, { checkpointId: res.policyId });
    await run.note(s.queued ? `Sampling the next round's completions (job ${s.jobId}).` : s.reason);
  }
  return { stopped: false, step: 1 };
}
