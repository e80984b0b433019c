// EVALUATE: the round's RM on held-out rankings and the new policy (PPO's, DPO's, else the SFT
// model) against the previous one (the active policy, else the round's SFT model) on held-out
// prompts (lib/ml/pipeline/evaluate.ts). A round without an rm stage is judged on KL alone; in a
// DPO round with an rm stage the RM only evaluates, scoring the DPO policy.
// The verdict (maxKl, minRmAccuracy) decides whether publish registers the policy READY or
// FAILED_EVAL. Stored as the job's last metric row, an EvaluationResult (lib/shared/evaluation).
import { EvaluateConfigSchema, RewardConfigSchema } from '../../lib/shared/stage-config';
import { EvaluationResultSchema } from '../../lib/shared/evaluation';
import { EVALUATION_STEPS, evaluatePipeline } from '../../lib/ml/pipeline/evaluate';
import { loadRoundData } from '../../lib/data/training/round-data';
import { activePolicy } from '../../lib/data/checkpoints/active-policy';
import { checkpointLocation } from '../../lib/data/checkpoints/list-checkpoints';
import { writeMetrics } from '../../lib/data/training/jobs';
import { resolveUri } from '../../lib/data/training/paths';
import { has, outputUri, policyUri, sftUri } from './inputs';
import type { StageRun } from './run';

export async function runEvaluate(run: StageRun): Promise<{ stopped: boolean; step: number }> {
  const { round, row, reporter } = run;
  const cfg = EvaluateConfigSchema.parse(row.config);
  const data = await loadRoundData(round.snapshotId!);

  const active = await activePolicy(round.projectId);
  const activeLoc = active ? await checkpointLocation(active.id) : null;
  const sameShape = activeLoc !== null && activeLoc.preset === round.preset;
  const previous = {
    dir: resolveUri(sameShape ? activeLoc.uri : await sftUri(round)),
    name: sameShape ? `active policy ${active!.name}` : has(round, 'sft') ? 'this round’s SFT model' : 'the start checkpoint',
  };
  const out = await evaluatePipeline({
    candidateDir: resolveUri(await policyUri(round)),
    previous,
    rewardModelDir: has(round, 'rm') ? resolveUri(outputUri(round, 'rm')) : null,
    heldOutRankings: data.rankingsHeldOut,
    rankings: data.rankings,
    rewardConfig: RewardConfigSchema.parse((round.config as Record<string, unknown>)?.rm ?? {}),
    prompts: data.promptsHeldOut.length ? data.promptsHeldOut : data.prompts,
    config: cfg,
    hooks: { onStep: (m) => reporter.onStep(m), shouldStop: reporter.shouldStop },
  });
  if (out.stopped) return { stopped: true, step: out.step };
  const evaluation = EvaluationResultSchema.parse(out.evaluation);
  const total = EVALUATION_STEPS;
  await reporter.flush();
  await writeMetrics(row.id, [{ step: total, values: evaluation }]);
  await reporter.onStep({ step: total, totalSteps: total, metrics: {} }).catch(() => {});
  const { rmAccuracy, rmPairs, meanScoreCandidate, meanScorePrevious, kl, reasons } = evaluation;
  // A round without an rm stage (sft alone, sft → dpo) has no reward model to score with: KL only.
  const rmPart = has(round, 'rm')
    ? `RM accuracy ${rmAccuracy?.toFixed(3) ?? 'n/a'} (${rmPairs} pairs), mean RM score ${meanScoreCandidate.toFixed(3)} vs ${meanScorePrevious.toFixed(3)} (${previous.name})`
    : `no reward model in this round, so no RM score (KL against ${previous.name})`;
  await run.note(
    `Evaluation ${evaluation.passed ? 'passed' : 'FAILED'}: ${rmPart}, KL ${kl.toFixed(3)}${reasons.length ? ` — ${reasons.join('; ')}` : ''}.`,
    evaluation.passed ? 'info' : 'warn',
  );
  return { stopped: false, step: total };
}
