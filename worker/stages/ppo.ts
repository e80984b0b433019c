// PPO: policy and frozen reference from the round's SFT model, critic initialised from the RM,
// reward = the RM shifted to mean 0 on the demonstrations. A resume point holds two folders,
// policy/ (with the shared Adam state and the KL controller's β) and value/ (the critic); the
// job's resumeUri only moves to it once both are on disk.
import path from 'node:path';
import { trainPpo, type RewardFn } from '../../lib/ml/train/ppo';
import { PpoConfigSchema } from '../../lib/shared/stage-config';
import { criticFromRewardModel, rewardNormalizer, type ValueModel } from '../../lib/ml/heads';
import { saveCheckpoint } from '../../lib/ml/checkpoint';
import { disposeMap } from '../../lib/ml/train/common';
import { sftRows } from '../../lib/ml/train/sft';
import { loadRoundData } from '../../lib/data/training/round-data';
import { loadCritic, loadLm, loadRm, rmScores, saveLm } from './ml';
import { outputUri, sftUri } from './inputs';
import type { StageRun } from './run';

export async function runPpo(run: StageRun): Promise<{ stopped: boolean; step: number }> {
  const { round, row, reporter } = run;
  const cfg = PpoConfigSchema.parse(row.config);
  const data = await loadRoundData(round.snapshotId!);
  const sft = await sftUri(round);
  const ref = await loadLm(sft);
  const tok = ref.tokenizer;
  const { rm } = await loadRm(outputUri(round, 'rm'));

  let reward: RewardFn;
  let offset = 0;
  if (data.sft.length) {
    const norm = rewardNormalizer(rm, tok, data.sft);
    offset = norm.offset;
    reward = (contexts, responses) => norm.reward(contexts, responses);
  } else {
    reward = (contexts, responses) => rmScores(rm, tok, contexts, responses);
  }

  let policy;
  let critic: ValueModel;
  let resume;
  if (run.resumeUri) {
    const p = await loadLm(path.posix.join(run.resumeUri, 'policy'), { withOptimizer: true });
    policy = p.model;
    critic = (await loadCritic(path.posix.join(run.resumeUri, 'value'))).critic;
    resume = { step: p.hone.step, optimizerState: p.optimizerState, trainerState: p.hone.trainerState };
  } else {
    policy = ref.model.clone();
    critic = criticFromRewardModel(rm, offset);
  }
  const ptx = cfg.ptxCoef > 0 && data.sft.length ? sftRows(tok, data.sft, policy.config.nPositions) : undefined;
  await run.note(`PPO on ${data.prompts.length} prompts; reward = RM − ${offset.toFixed(3)} (mean on demonstrations)${resume ? `; resuming at step ${resume.step}` : ''}.`);
  const res = await trainPpo({
    policy,
    reference: ref.model,
    critic,
    tokenizer: tok,
    prompts: data.prompts.map((p) => ({ id: p.id, context: p.context })),
    reward,
    ptx,
    config: cfg,
    resume,
    callbacks: {
      onStep: (m) => reporter.onStep(m),
      shouldStop: reporter.shouldStop,
      onCheckpoint: (s) =>
        run.saveResume(s.step, async (dir) => {
          await saveCheckpoint(path.join(dir, 'value'), { model: s.critic.backbone, tokenizer: tok, hone: { stage: 'value', preset: round.preset, step: s.step }, extraTensors: s.critic.extraTensors() });
          await saveCheckpoint(path.join(dir, 'policy'), {
            model: s.policy,
            tokenizer: tok,
            hone: { stage: 'policy', preset: round.preset, step: s.step, metrics: s.metrics, trainerState: s.trainerState },
            optimizerState: s.optimizerState,
          });
        }),
    },
  });
  disposeMap(resume?.optimizerState);
  rm.dispose();
  critic.dispose();
  ref.model.dispose();
  if (res.stopped) {
    policy.dispose();
    return { stopped: true, step: res.steps };
  }
  await saveLm(outputUri(round, 'ppo'), policy, tok, {
    stage: 'policy',
    preset: round.preset,
    parent: round.startCheckpointId,
    datasetHash: round.snapshotSha,
    step: res.steps,
    metrics: { ...res.metrics, kl_coef_final: res.klCoef, reward_offset: offset },
  });
  policy.dispose();
  return { stopped: false, step: res.steps };
}
