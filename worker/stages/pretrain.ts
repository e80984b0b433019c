// PRETRAIN: a round that starts without a checkpoint first trains a BASE model from scratch on
// the project's own text (prompts, demonstrations, dialogues) for a few hundred steps, so SFT
// starts from a model that has seen the language of the project. Registered as a BASE row.
import { PretrainConfigSchema } from '../../lib/shared/stage-config';
import { pretrainPipeline } from '../../lib/ml/pipeline/pretrain';
import { loadRoundData } from '../../lib/data/training/round-data';
import { registerBase } from '../../lib/data/checkpoints/publish-round';
import { resolveUri } from '../../lib/data/training/paths';
import { outputUri } from './inputs';
import type { StageRun } from './run';

export async function runPretrain(run: StageRun): Promise<{ stopped: boolean; step: number }> {
  const { round, row } = run;
  const cfg = PretrainConfigSchema.parse(row.config);
  const data = await loadRoundData(round.snapshotId!);
  const texts = data.text.filter((t) => t.trim().length > 0).map((text) => ({ text }));
  const uri = outputUri(round, 'pretrain');
  const out = await pretrainPipeline({
    start: { preset: round.preset, seed: cfg.seed },
    resumeFrom: run.resumeUri ? resolveUri(run.resumeUri) : undefined,
    texts,
    config: cfg,
    lineage: { preset: round.preset, parent: null, datasetHash: round.snapshotSha },
    hooks: { onStep: (m) => run.reporter.onStep(m), shouldStop: run.reporter.shouldStop, saveResume: (step, write) => run.saveResume(step, write) },
    outputDir: resolveUri(uri),
    onStart: ({ resumeStep }) =>
      run.note(`Pretraining a new ${round.preset} base on ${texts.length} texts of the project${resumeStep !== null ? ` (resuming at step ${resumeStep})` : ''}.`),
  });
  if (out.stopped) return { stopped: true, step: out.steps };
  const id = await registerBase({ roundId: round.id, jobId: row.id, uri, step: out.steps, metrics: { train_loss: out.result.trainLoss, eval_loss: out.result.evalLoss } });
  await run.note(`Registered base checkpoint ${id}.`);
  return { stopped: false, step: out.steps };
}
