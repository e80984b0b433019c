// PPO: policy and frozen reference from the round's SFT model, critic initialised from the RM,
// reward = the RM shifted to mean 0 on the demonstrations. A resume point holds two folders,
// policy/ (with the shared Adam state and the KL controller's β) and value/ (the critic); the
// job's resumeUri only moves to it once both are on disk (run.saveResume).
import { PpoConfigSchema } from '../../lib/shared/stage-config';
import { ppoPipeline } from '../../lib/ml/pipeline/ppo';
import { loadRoundData } from '../../lib/data/training/round-data';
import { resolveUri } from '../../lib/data/training/paths';
import { outputUri, sftUri } from './inputs';
import type { StageRun } from './run';
import { reportScreen } from './screened';

export async function runPpo(run: StageRun): Promise<{ stopped: boolean; step: number }> {
  const { round, row } = run;
  const cfg = PpoConfigSchema.parse(row.config);
  const data = await loadRoundData(round.snapshotId!);
  const out = await ppoPipeline({
    sftDir: resolveUri(await sftUri(round)),
    reward: { rewardModelDir: resolveUri(outputUri(round, 'rm')), demonstrations: data.sft },
    prompts: data.prompts.map((p) => ({ id: p.id, context: p.context })),
    ptx: cfg.ptxCoef > 0 && data.sft.length ? { conversations: data.sft } : undefined,
    config: cfg,
    lineage: { preset: round.preset, parent: round.startCheckpointId, datasetHash: round.snapshotSha },
    hooks: { onStep: (m) => run.reporter.onStep(m), shouldStop: run.reporter.shouldStop, saveResume: (step, write) => run.saveResume(step, write) },
    resumeFrom: run.resumeUri ? resolveUri(run.resumeUri) : undefined,
    outputDir: resolveUri(outputUri(round, 'ppo')),
    onScreened: (s) => reportScreen(run, s),
    onStart: ({ resumeStep, rewardOffset }) =>
      run.note(`PPO on ${data.prompts.length} prompts; reward = RM − ${rewardOffset.toFixed(3)} (mean on demonstrations)${resumeStep !== null ? `; resuming at step ${resumeStep}` : ''}.`),
  });
  return { stopped: out.stopped, step: out.steps };
}
