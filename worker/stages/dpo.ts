// DPO: the SFT model (the round's SFT output, else the start checkpoint) trained directly on the
// snapshot's ranking pairs against itself frozen as the reference; no reward model, no rollouts.
// Held-out rankings are those of VAL/TEST prompts (else the trainer's own split). The reference
// log-probs are cached per project and snapshot (lib/data/training/paths.ts refLogpsUri), so a
// resume or another round on the same snapshot skips the reference pass.
import { DpoConfigSchema } from '../../lib/shared/stage-config';
import { dpoPipeline } from '../../lib/ml/pipeline/dpo';
import { loadRoundData } from '../../lib/data/training/round-data';
import { refLogpsUri, resolveUri } from '../../lib/data/training/paths';
import { outputUri, sftUri } from './inputs';
import type { StageRun } from './run';
import { reportScreen } from './screened';

/** Non-tied pairs of a ranking: one per two completions in different tiers (ties give none). */
const pairsOf = (tiers: number[][]) => {
  let n = 0;
  let above = 0;
  for (const tier of tiers) {
    n += above * tier.length;
    above += tier.length;
  }
  return n;
};

export async function runDpo(run: StageRun): Promise<{ stopped: boolean; step: number }> {
  const { round, row } = run;
  const cfg = DpoConfigSchema.parse(row.config);
  const data = await loadRoundData(round.snapshotId!);
  const pairs = [...data.rankings, ...data.rankingsHeldOut].reduce((n, r) => n + pairsOf(r.tiers), 0);
  const out = await dpoPipeline({
    sftDir: resolveUri(await sftUri(round)),
    resumeFrom: run.resumeUri ? resolveUri(run.resumeUri) : undefined,
    rankings: data.rankings,
    evaluation: data.rankingsHeldOut,
    config: cfg,
    lineage: { preset: round.preset, parent: round.startCheckpointId, datasetHash: round.snapshotSha },
    hooks: { onStep: (m) => run.reporter.onStep(m), shouldStop: run.reporter.shouldStop, saveResume: (step, write) => run.saveResume(step, write) },
    refCacheDir: resolveUri(refLogpsUri(round.projectId, round.snapshotId!)),
    outputDir: resolveUri(outputUri(round, 'dpo')),
    onScreened: (s) => reportScreen(run, s),
    onStart: ({ resumeStep, refCached }) =>
      run.note(
        `DPO (${cfg.lossType}, β ${cfg.beta}${cfg.labelSmoothing ? `, label smoothing ${cfg.labelSmoothing}` : ''}) on ${data.rankings.length} rankings ` +
          `(${data.rankingsHeldOut.length} held out; ${pairs} preference pairs in all)` +
          `; reference log-probs ${refCached ? 'read from the cache of this snapshot' : 'computed by the reference model (then cached for this snapshot)'}` +
          `${resumeStep !== null ? `; resuming at step ${resumeStep}` : ''}.`,
      ),
  });
  return { stopped: out.stopped, step: out.steps };
}
