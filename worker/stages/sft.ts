// SFT: fine-tunes the start checkpoint on the snapshot's demonstrations and dialogues (loss on
// assistant tokens only). Held-out conversations are those of VAL/TEST prompts.
import { SftConfigSchema } from '../../lib/shared/stage-config';
import { sftPipeline } from '../../lib/ml/pipeline/sft';
import { loadRoundData } from '../../lib/data/training/round-data';
import { resolveUri } from '../../lib/data/training/paths';
import { outputUri, startUri } from './inputs';
import type { StageRun } from './run';
import { reportScreen } from './screened';

export async function runSft(run: StageRun): Promise<{ stopped: boolean; step: number }> {
  const { round, row } = run;
  const cfg = SftConfigSchema.parse(row.config);
  const data = await loadRoundData(round.snapshotId!);
  const out = await sftPipeline({
    start: run.resumeUri ? undefined : { dir: resolveUri(await startUri(round)) },
    resumeFrom: run.resumeUri ? resolveUri(run.resumeUri) : undefined,
    conversations: data.sft,
    evaluation: data.sftHeldOut,
    config: cfg,
    lineage: { preset: round.preset, parent: round.startCheckpointId, datasetHash: round.snapshotSha },
    hooks: { onStep: (m) => run.reporter.onStep(m), shouldStop: run.reporter.shouldStop, saveResume: (step, write) => run.saveResume(step, write) },
    outputDir: resolveUri(outputUri(round, 'sft')),
    onScreened: (s) => reportScreen(run, s),
    onStart: ({ resumeStep }) =>
      run.note(`SFT on ${data.sft.length} conversations (${data.sftHeldOut.length} held out)${resumeStep !== null ? `, resuming at step ${resumeStep}` : ''}.`),
  });
  return { stopped: out.stopped, step: out.steps };
}
