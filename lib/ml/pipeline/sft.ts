// SFT: fine-tuning on conversations, loss on assistant tokens. Resume points are 'sft' folders
// with the optimizer state, taken every checkpointEvery steps and at the end; a checkpoint the
// trainer offers only for a new best held-out loss goes to bestDir (when given), not to a
// resume point.
import type { GPT } from '../model/gpt';
import type { SftExample } from '../data/schemas';
import type { SftConfig } from '../../shared/stage-config';
import { trainSft, type SftResult } from '../train/sft';
import { loadLanguageModel, loadStart, resumeStateOf, type StartPoint } from './load-models';
import { saveLanguageModel } from './save-models';
import { honeMeta, type Lineage } from './lineage';
import type { StageHooks, StageOutcome } from './stage-hooks';
import type { Screen } from '../data/screen';

export async function sftPipeline(args: {
  /** Used when not resuming. */
  start?: StartPoint;
  resumeFrom?: string;
  conversations: SftExample[];
  /** Held-out conversations (else the trainer's own split). */
  evaluation?: SftExample[];
  config: SftConfig;
  lineage: Lineage;
  hooks: StageHooks;
  /** The model with the lowest held-out loss so far, rewritten at each new best. */
  bestDir?: string;
  onBest?(s: { step: number; bestEvalLoss: number | null }): void | Promise<void>;
  /** Where the finished model goes (not on a stop), with the run's summary metrics. */
  outputDir?: string;
  onStart?(s: { model: GPT; resumeStep: number | null }): void | Promise<void>;
  /** Which conversations train, which are skipped and why (before the first step). */
  onScreened?(s: Screen<SftExample>): void | Promise<void>;
}): Promise<StageOutcome<SftResult>> {
  const { config, lineage, hooks } = args;
  const c = args.resumeFrom ? await loadLanguageModel(args.resumeFrom, { withOptimizer: true }) : await loadStart(args.start);
  const resume = args.resumeFrom ? resumeStateOf(c, args.resumeFrom) : undefined;
  const { model, tokenizer } = c;
  let res: SftResult | undefined;
  try {
    await args.onStart?.({ model, resumeStep: resume?.step ?? null });
    res = await trainSft({
      model,
      tokenizer,
      data: args.conversations,
      evaluation: args.evaluation?.length ? args.evaluation : undefined,
      config,
      resume,
      onScreened: args.onScreened,
      callbacks: {
        onStep: hooks.onStep,
        shouldStop: hooks.shouldStop,
        onCheckpoint: async (s) => {
          const meta = honeMeta('sft', lineage, s.step, s.metrics, s.trainerState);
          if (s.best && args.bestDir) {
            await saveLanguageModel(args.bestDir, s.model, tokenizer, meta);
            await args.onBest?.({ step: s.step, bestEvalLoss: s.trainerState.bestEvalLoss });
          }
          if (s.best && !s.final && s.step % config.checkpointEvery !== 0) return; // a best-only point is no resume point
          await hooks.saveResume(s.step, (dir) => saveLanguageModel(dir, s.model, tokenizer, meta, s.optimizerState));
        },
      },
    });
    if (!res.stopped && args.outputDir) {
      await saveLanguageModel(
        args.outputDir,
        model,
        tokenizer,
        honeMeta('sft', lineage, res.steps, { train_loss: res.trainLoss, eval_loss: res.evalLoss, best_eval_loss: res.bestEvalLoss, conversations: args.conversations.length }),
      );
    }
    return { stopped: res.stopped, steps: res.steps, result: res };
  } finally {
    for (const t of [...(res?.bestWeights?.values() ?? []), ...(resume?.optimizerState?.values() ?? [])]) t.dispose();
    model.dispose();
  }
}
