// SFT: fine-tunes the start checkpoint on the snapshot's demonstrations and dialogues (loss on
// assistant tokens only). Held-out conversations are those of VAL/TEST prompts.
import { trainSft } from '../../lib/ml/train/sft';
import { SftConfigSchema } from '../../lib/shared/stage-config';
import { saveCheckpoint } from '../../lib/ml/checkpoint';
import { disposeMap } from '../../lib/ml/train/common';
import { loadRoundData } from '../../lib/data/training/round-data';
import { loadLm, saveLm } from './ml';
import { outputUri, startUri } from './inputs';
import type { StageRun } from './run';

export async function runSft(run: StageRun): Promise<{ stopped: boolean; step: number }> {
  const { round, row, reporter } = run;
  const cfg = SftConfigSchema.parse(row.config);
  const data = await loadRoundData(round.snapshotId!);
  const c = run.resumeUri ? await loadLm(run.resumeUri, { withOptimizer: true }) : await loadLm(await startUri(round));
  const { model, tokenizer: tok } = c;
  const resume = run.resumeUri ? { step: c.hone.step, optimizerState: c.optimizerState, trainerState: c.hone.trainerState } : undefined;
  await run.note(`SFT on ${data.sft.length} conversations (${data.sftHeldOut.length} held out)${resume ? `, resuming at step ${resume.step}` : ''}.`);
  const res = await trainSft({
    model,
    tokenizer: tok,
    data: data.sft,
    evaluation: data.sftHeldOut.length ? data.sftHeldOut : undefined,
    config: cfg,
    resume,
    callbacks: {
      onStep: (m) => reporter.onStep(m),
      shouldStop: reporter.shouldStop,
      onCheckpoint: async (s) => {
        if (s.best && !s.final && s.step % cfg.checkpointEvery !== 0) return; // best-only points are not resume points
        await run.saveResume(s.step, (dir) =>
          saveCheckpoint(dir, { model: s.model, tokenizer: tok, hone: { stage: 'sft', preset: round.preset, step: s.step, metrics: s.metrics, trainerState: s.trainerState }, optimizerState: s.optimizerState }),
        );
      },
    },
  });
  disposeMap(res.bestWeights ?? undefined);
  disposeMap(resume?.optimizerState);
  if (res.stopped) {
    model.dispose();
    return { stopped: true, step: res.steps };
  }
  await saveLm(outputUri(round, 'sft'), model, tok, {
    stage: 'sft',
    preset: round.preset,
    parent: round.startCheckpointId,
    datasetHash: round.snapshotSha,
    step: res.steps,
    metrics: { train_loss: res.trainLoss, eval_loss: res.evalLoss, best_eval_loss: res.bestEvalLoss, conversations: data.sft.length },
  });
  model.dispose();
  return { stopped: false, step: res.steps };
}
