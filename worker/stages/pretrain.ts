// PRETRAIN: a round that starts without a checkpoint first trains a BASE model from scratch on
// the project's own text (prompts, demonstrations, dialogues) for a few hundred steps, so SFT
// starts from a model that has seen the language of the project. Registered as a BASE row.
import { trainPretrain } from '../../lib/ml/train/pretrain';
import { PretrainConfigSchema } from '../../lib/shared/stage-config';
import { saveCheckpoint } from '../../lib/ml/checkpoint';
import { loadRoundData } from '../../lib/data/training/round-data';
import { registerBase } from '../../lib/data/checkpoints/publish-round';
import { loadLm, newModel, saveLm, tokenizerFor } from './ml';
import { outputUri } from './inputs';
import type { StageRun } from './run';

export async function runPretrain(run: StageRun): Promise<{ stopped: boolean; step: number }> {
  const { round, row, reporter } = run;
  const cfg = PretrainConfigSchema.parse(row.config);
  const data = await loadRoundData(round.snapshotId!);
  const texts = data.text.filter((t) => t.trim().length > 0).map((text) => ({ text }));
  const tok = tokenizerFor(round.preset);
  let model;
  let resume;
  if (run.resumeUri) {
    const c = await loadLm(run.resumeUri, { withOptimizer: true });
    model = c.model;
    resume = { step: c.hone.step, optimizerState: c.optimizerState, trainerState: c.hone.trainerState };
  } else model = newModel(round.preset, cfg.seed);
  await run.note(`Pretraining a new ${round.preset} base on ${texts.length} texts of the project${resume ? ` (resuming at step ${resume.step})` : ''}.`);
  const res = await trainPretrain({
    model,
    tokenizer: tok,
    data: texts,
    config: cfg,
    resume,
    callbacks: {
      onStep: (m) => reporter.onStep(m),
      shouldStop: reporter.shouldStop,
      onCheckpoint: (s) =>
        run.saveResume(s.step, (dir) => saveCheckpoint(dir, { model: s.model, tokenizer: tok, hone: { stage: 'pretrain', preset: round.preset, step: s.step, metrics: s.metrics }, optimizerState: s.optimizerState })),
    },
  });
  for (const t of resume?.optimizerState?.values() ?? []) t.dispose();
  if (res.stopped) {
    model.dispose();
    return { stopped: true, step: res.steps };
  }
  const uri = outputUri(round, 'pretrain');
  const metrics = { train_loss: res.trainLoss, eval_loss: res.evalLoss };
  await saveLm(uri, model, tok, { stage: 'base', preset: round.preset, parent: null, datasetHash: round.snapshotSha, step: res.steps, metrics });
  model.dispose();
  const id = await registerBase({ roundId: round.id, jobId: row.id, uri, step: res.steps, metrics });
  await run.note(`Registered base checkpoint ${id}.`);
  return { stopped: false, step: res.steps };
}
