// PRETRAIN: next-token training of a base model (a fresh preset or a checkpoint) on plain text.
// Resume points are 'pretrain' folders with the optimizer state; the optional output is the
// finished model as a 'base' checkpoint.
import type { GPT } from '../model/gpt';
import type { PretrainExample } from '../data/schemas';
import type { PretrainConfig } from '../../shared/stage-config';
import { trainPretrain, type PretrainResult } from '../train/pretrain';
import { loadLanguageModel, loadStart, resumeStateOf, type StartPoint } from './load-models';
import { saveLanguageModel } from './save-models';
import { honeMeta, type Lineage } from './lineage';
import { resumeCallbacks, type StageHooks, type StageOutcome } from './stage-hooks';

export async function pretrainPipeline(args: {
  /** Used when not resuming. */
  start?: StartPoint;
  /** A resume checkpoint folder written through hooks.saveResume. */
  resumeFrom?: string;
  texts: PretrainExample[];
  config: PretrainConfig;
  lineage: Lineage;
  hooks: StageHooks;
  /** Where the finished model goes (not on a stop). */
  outputDir?: string;
  onStart?(s: { model: GPT; resumeStep: number | null }): void | Promise<void>;
}): Promise<StageOutcome<PretrainResult>> {
  const { config, lineage, hooks } = args;
  const c = args.resumeFrom ? await loadLanguageModel(args.resumeFrom, { withOptimizer: true }) : await loadStart(args.start);
  const resume = args.resumeFrom ? resumeStateOf(c, args.resumeFrom) : undefined;
  const { model, tokenizer } = c;
  try {
    await args.onStart?.({ model, resumeStep: resume?.step ?? null });
    const res = await trainPretrain({
      model,
      tokenizer,
      data: args.texts,
      config,
      resume,
      callbacks: resumeCallbacks(hooks, (s, dir) => saveLanguageModel(dir, s.model, tokenizer, honeMeta('pretrain', lineage, s.step, s.metrics, s.trainerState), s.optimizerState)),
    });
    if (!res.stopped && args.outputDir) {
      await saveLanguageModel(args.outputDir, model, tokenizer, honeMeta('base', lineage, res.steps, { train_loss: res.trainLoss, eval_loss: res.evalLoss }));
    }
    return { stopped: res.stopped, steps: res.steps, result: res };
  } finally {
    for (const t of resume?.optimizerState?.values() ?? []) t.dispose();
    model.dispose();
  }
}

