// EVALUATE: the round's reward model on held-out rankings (pairwise accuracy), and the new policy
// against the previous one (the active policy, else the round's SFT model) on held-out prompts:
// mean RM score of each, KL(new ‖ previous) estimated on the new policy's samples, and a few
// samples side by side. The verdict (maxKl, minRmAccuracy) decides whether publish registers
// the policy READY or FAILED_EVAL. Stored as the job's single metric row (step 1).
import { EvaluateConfigSchema, RewardConfigSchema } from '../../lib/shared/stage-config';
import { encodeRankings, evaluateRewardModel } from '../../lib/ml/train/reward';
import { splitHoldout } from '../../lib/ml/train/common';
import { loadRoundData } from '../../lib/data/training/round-data';
import { activePolicy } from '../../lib/data/checkpoints/active-policy';
import { checkpointLocation } from '../../lib/data/checkpoints/list-checkpoints';
import { writeMetrics } from '../../lib/data/training/jobs';
import { generate, loadLm, loadRm, mean, replyLogprobs, rmScores } from './ml';
import { has, outputUri, policyUri, sftUri } from './inputs';
import type { StageRun } from './run';

export async function runEvaluate(run: StageRun): Promise<{ stopped: boolean; step: number }> {
  const { round, row, reporter } = run;
  const cfg = EvaluateConfigSchema.parse(row.config);
  const data = await loadRoundData(round.snapshotId!);
  const total = 4;

  const candidateUri = await policyUri(round);
  const active = await activePolicy(round.projectId);
  const activeLoc = active ? await checkpointLocation(active.id) : null;
  const previousUri = activeLoc && activeLoc.preset === round.preset ? activeLoc.uri : await sftUri(round);
  const previousName = activeLoc && activeLoc.preset === round.preset ? `active policy ${active!.name}` : has(round, 'sft') ? 'this round’s SFT model' : 'the start checkpoint';

  // 1. The RM on held-out rankings.
  let rmAccuracy: number | null = null;
  let rmPairs = 0;
  const rm = has(round, 'rm') ? (await loadRm(outputUri(round, 'rm'))).rm : null;
  const cand = await loadLm(candidateUri);
  const tok = cand.tokenizer;
  if (rm) {
    const rmCfg = RewardConfigSchema.parse((round.config as Record<string, unknown>)?.rm ?? {});
    const heldOut = data.rankingsHeldOut.length ? data.rankingsHeldOut : splitHoldout(data.rankings, rmCfg.evalFraction, rmCfg.seed).heldOut;
    if (heldOut.length) {
      const enc = encodeRankings(tok, heldOut, rm.backbone.config.nPositions);
      const s = evaluateRewardModel(rm, enc, tok.special.pad);
      rmAccuracy = s.accuracy;
      rmPairs = s.pairs;
    }
  }
  if (await reporter.shouldStop()) return { stopped: true, step: 1 };
  await reporter.onStep({ step: 1, totalSteps: total, metrics: rmAccuracy === null ? {} : { rm_accuracy: rmAccuracy } });

  // 2. Samples of both policies on held-out prompts.
  const pool = data.promptsHeldOut.length ? data.promptsHeldOut : data.prompts;
  const prompts = pool.slice(0, cfg.prompts);
  const contexts = prompts.map((p) => p.context);
  const prev = await loadLm(previousUri);
  const genOpts = { maxNewTokens: cfg.maxNewTokens, temperature: cfg.temperature, seed: cfg.seed };
  const candGen = await generate(cand.model, tok, contexts, genOpts);
  const prevGen = await generate(prev.model, tok, contexts, genOpts);
  if (await reporter.shouldStop()) return { stopped: true, step: 2 };
  await reporter.onStep({ step: 2, totalSteps: total, metrics: {} });

  // 3. KL(new ‖ previous) on the new policy's samples; RM scores of both.
  const lpNew = await replyLogprobs(cand.model, tok, contexts, candGen.map((g) => g.ids), cfg.temperature);
  const lpPrev = await replyLogprobs(prev.model, tok, contexts, candGen.map((g) => g.ids), cfg.temperature);
  const kl = mean(lpNew.map((x, i) => x - lpPrev[i]));
  const scoreCand = rm ? rmScores(rm, tok, contexts, candGen.map((g) => g.text)) : [];
  const scorePrev = rm ? rmScores(rm, tok, contexts, prevGen.map((g) => g.text)) : [];
  const meanCand = scoreCand.length ? mean(scoreCand) : 0;
  const meanPrev = scorePrev.length ? mean(scorePrev) : 0;

  const reasons: string[] = [];
  if (!Number.isFinite(kl)) reasons.push('the KL estimate is not a finite number');
  else if (kl > cfg.maxKl) reasons.push(`KL from the ${previousName} is ${kl.toFixed(3)}, above the limit ${cfg.maxKl}`);
  if (rmAccuracy !== null && rmAccuracy < cfg.minRmAccuracy) reasons.push(`held-out RM accuracy ${rmAccuracy.toFixed(3)} is below ${cfg.minRmAccuracy}`);
  if (rm && !Number.isFinite(meanCand)) reasons.push('the new policy’s mean RM score is not finite');
  const evaluation = {
    rmAccuracy,
    rmPairs,
    meanScoreCandidate: meanCand,
    meanScorePrevious: meanPrev,
    kl,
    prompts: prompts.length,
    previous: previousName,
    passed: reasons.length === 0,
    reasons,
    samples: prompts.slice(0, cfg.samples).map((p, i) => ({
      prompt: p.context.map((m) => m.content).join('\n'),
      previous: prevGen[i].text,
      candidate: candGen[i].text,
      previousScore: scorePrev[i] ?? 0,
      candidateScore: scoreCand[i] ?? 0,
    })),
  };
  rm?.dispose();
  cand.model.dispose();
  prev.model.dispose();
  await reporter.flush();
  await writeMetrics(row.id, [{ step: total, values: evaluation }]);
  await reporter.onStep({ step: total, totalSteps: total, metrics: {} }).catch(() => {});
  await run.note(
    `Evaluation ${evaluation.passed ? 'passed' : 'FAILED'}: RM accuracy ${rmAccuracy?.toFixed(3) ?? 'n/a'} (${rmPairs} pairs), mean RM score ${meanCand.toFixed(3)} vs ${meanPrev.toFixed(3)} (${previousName}), KL ${kl.toFixed(3)}${reasons.length ? ` — ${reasons.join('; ')}` : ''}.`,
    evaluation.passed ? 'info' : 'warn',
  );
  return { stopped: false, step: total };
}
