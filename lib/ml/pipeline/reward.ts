// RM: a scalar head on a backbone (usually the SFT model), trained on K-way rankings. A start
// checkpoint that already has a score.weight keeps its head; otherwise the head is drawn with
// config.seed. Resume points and the output are reward-model folders (loadRewardModel reads
// them back and refuses anything without a head).
import type { RankingExample } from '../data/schemas';
import type { RewardConfig } from '../../shared/stage-config';
import type { RewardModel } from '../heads';
import { trainRewardModel, type RewardResult } from '../train/reward';
import { loadRewardModel, loadRewardModelStart, resumeStateOf, type StartPoint } from './load-models';
import { saveRewardModel } from './save-models';
import { honeMeta, type Lineage } from './lineage';
import { resumeCallbacks, type StageHooks, type StageOutcome } from './stage-hooks';
import type { Screen } from '../data/screen';

export async function rewardPipeline(args: {
  /** Used when not resuming. */
  start?: StartPoint;
  resumeFrom?: string;
  rankings: RankingExample[];
  /** Held-out rankings (else the trainer's own split). */
  evaluation?: RankingExample[];
  config: RewardConfig;
  lineage: Lineage;
  hooks: StageHooks;
  /** Where the finished reward model goes (not on a stop), with the run's summary metrics. */
  outputDir?: string;
  onStart?(s: { resumeStep: number | null }): void | Promise<void>;
  /** Which rankings train, which are skipped or shortened and why (before the first step). */
  onScreened?(s: Screen<RankingExample>): void | Promise<void>;
}): Promise<StageOutcome<RewardResult>> {
  const { config, lineage, hooks } = args;
  let rm: RewardModel;
  let tokenizer;
  let resume;
  if (args.resumeFrom) {
    const c = await loadRewardModel(args.resumeFrom, { withOptimizer: true });
    ({ rm, tokenizer } = c);
    resume = resumeStateOf(c, args.resumeFrom);
  } else ({ rm, tokenizer } = await loadRewardModelStart(args.start, config.seed));
  try {
    await args.onStart?.({ resumeStep: resume?.step ?? null });
    const res = await trainRewardModel({
      model: rm,
      tokenizer,
      data: args.rankings,
      evaluation: args.evaluation?.length ? args.evaluation : undefined,
      config,
      resume,
      onScreened: args.onScreened,
      callbacks: resumeCallbacks(hooks, (s, dir) => saveRewardModel(dir, s.model, tokenizer, honeMeta('rm', lineage, s.step, s.metrics, s.trainerState), s.optimizerState)),
    });
    if (!res.stopped && args.outputDir) {
      const metrics = { train_loss: res.trainLoss, eval_accuracy: res.evalAccuracy, eval_margin: res.evalMargin, rankings: args.rankings.length };
      await saveRewardModel(args.outputDir, rm, tokenizer, honeMeta('rm', lineage, res.steps, metrics));
    }
    return { stopped: res.stopped, steps: res.steps, result: res };
  } finally {
    for (const t of resume?.optimizerState?.values() ?? []) t.dispose();
    rm.dispose();
  }
}
