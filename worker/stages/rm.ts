// RM: the SFT backbone plus a fresh scalar head, trained on the snapshot's K-way rankings.
// Held-out rankings are those of VAL/TEST prompts (else the trainer's own split).
import { trainRewardModel } from '../../lib/ml/train/reward';
import { RewardConfigSchema } from '../../lib/shared/stage-config';
import { RewardModel } from '../../lib/ml/heads';
import { loadCheckpoint, saveCheckpoint } from '../../lib/ml/checkpoint';
import { disposeMap } from '../../lib/ml/train/common';
import { loadRoundData } from '../../lib/data/training/round-data';
import { resolveUri } from '../../lib/data/training/paths';
import { loadLm, saveRm } from './ml';
import { outputUri, sftUri } from './inputs';
import type { StageRun } from './run';

export async function runRm(run: StageRun): Promise<{ stopped: boolean; step: number }> {
  const { round, row, reporter } = run;
  const cfg = RewardConfigSchema.parse(row.config);
  const data = await loadRoundData(round.snapshotId!);
  let rm: RewardModel;
  let resume;
  let tok;
  if (run.resumeUri) {
    const c = await loadCheckpoint(resolveUri(run.resumeUri), { withOptimizer: true });
    rm = new RewardModel(c.model, c.extraTensors.get('score.weight'));
    disposeMap(c.extraTensors);
    tok = c.tokenizer;
    resume = { step: c.hone.step, optimizerState: c.optimizerState };
  } else {
    const c = await loadLm(await sftUri(round));
    rm = new RewardModel(c.model, undefined, cfg.seed);
    tok = c.tokenizer;
  }
  await run.note(`Reward model on ${data.rankings.length} rankings (${data.rankingsHeldOut.length} held out)${resume ? `, resuming at step ${resume.step}` : ''}.`);
  const res = await trainRewardModel({
    model: rm,
    tokenizer: tok,
    data: data.rankings,
    evaluation: data.rankingsHeldOut.length ? data.rankingsHeldOut : undefined,
    config: cfg,
    resume,
    callbacks: {
      onStep: (m) => reporter.onStep(m),
      shouldStop: reporter.shouldStop,
      onCheckpoint: (s) =>
        run.saveResume(s.step, (dir) =>
          saveCheckpoint(dir, { model: s.model.backbone, tokenizer: tok, hone: { stage: 'rm', preset: round.preset, step: s.step, metrics: s.metrics }, extraTensors: s.model.extraTensors(), optimizerState: s.optimizerState, architecture: 'reward' }),
        ),
    },
  });
  disposeMap(resume?.optimizerState);
  if (res.stopped) {
    rm.dispose();
    return { stopped: true, step: res.steps };
  }
  await saveRm(outputUri(round, 'rm'), rm, tok, {
    stage: 'rm',
    preset: round.preset,
    parent: round.startCheckpointId,
    datasetHash: round.snapshotSha,
    step: res.steps,
    metrics: { train_loss: res.trainLoss, eval_accuracy: res.evalAccuracy, eval_margin: res.evalMargin, rankings: data.rankings.length },
  });
  rm.dispose();
  return { stopped: false, step: res.steps };
}
