// RM: the SFT backbone plus a fresh scalar head, trained on the snapshot's K-way rankings.
// Held-out rankings are those of VAL/TEST prompts (else the trainer's own split).
import { RewardConfigSchema } from '../../lib/shared/stage-config';
import { rewardPipeline } from '../../lib/ml/pipeline/reward';
import { loadRoundData } from '../../lib/data/training/round-data';
import { resolveUri } from '../../lib/data/training/paths';
import { outputUri, sftUri } from './inputs';
import type { StageRun } from './run';
import { reportScreen } from './screened';

export async function runRm(run: StageRun): Promise<{ stopped: boolean; step: number }> {
  const { round, row } = run;
  const cfg = RewardConfigSchema.parse(row.config);
  const data = await loadRoundData(round.snapshotId!);
  const out = await rewardPipeline({
    start: run.resumeUri ? undefined : { dir: resolveUri(await sftUri(round)) },
    resumeFrom: run.resumeUri ? resolveUri(run.resumeUri) : undefined,
    rankings: data.rankings,
    evaluation: data.rankingsHeldOut,
    config: cfg,
    lineage: { preset: round.preset, parent: round.startCheckpointId, datasetHash: round.snapshotSha },
    hooks: { onStep: (m) => run.reporter.onStep(m), shouldStop: run.reporter.shouldStop, saveResume: (step, write) => run.saveResume(step, write) },
    outputDir: resolveUri(outputUri(round, 'rm')),
    onScreened: (s) => reportScreen(run, s),
    onStart: ({ resumeStep }) =>
      run.note(`Reward model on ${data.rankings.length} rankings (${data.rankingsHeldOut.length} held out)${resumeStep !== null ? `, resuming at step ${resumeStep}` : ''}.`),
  });
  return { stopped: out.stopped, step: out.steps };
}
