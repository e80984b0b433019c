// DPO: the policy starts from the SFT model's weights and the same SFT model, frozen, is the
// reference. The reference's log-probs are computed once, before the first step, and cached in
// refCacheDir (ref-logps-cache.ts): on a fresh start the not-yet-trained policy *is* the
// reference, so no second model is loaded; on a resume the SFT folder is loaded only when the
// cache misses, and disposed before training. Resume points and the output are language-model
// folders of stage 'policy' (the resume points with the Adam state).
import type { DpoConfig } from '../../shared/stage-config';
import type { RankingExample } from '../data/schemas';
import type { Screen } from '../data/screen';
import type { GPT } from '../model/gpt';
import { dpoMaxLength, sequenceLogps, trainDpo, type DpoResult, type EncodedPreference, type ReferenceLogps } from '../train/dpo';
import { loadLanguageModel, resumeStateOf } from './load-models';
import { saveLanguageModel } from './save-models';
import { honeMeta, type Lineage } from './lineage';
import { resumeCallbacks, type StageHooks, type StageOutcome } from './stage-hooks';
import { readRefCache, refCacheKey, weightsDigest, writeRefCache } from './ref-logps-cache';

export type { DpoResult } from '../train/dpo';

export async function dpoPipeline(args: {
  /** The SFT model: the policy's start weights and the frozen reference. */
  sftDir: string;
  /** A resume folder written through hooks.saveResume. */
  resumeFrom?: string;
  rankings: RankingExample[];
  /** Held-out rankings (else the trainer's own split). */
  evaluation?: RankingExample[];
  config: DpoConfig;
  lineage: Lineage;
  hooks: StageHooks;
  /** Reference log-probs are cached here, keyed by (reference weights, data, maxLength). */
  refCacheDir?: string;
  /** The finished policy (a language-model folder, hone stage 'policy'); not written on a stop. */
  outputDir?: string;
  /** After the reference log-probs are ready (computed or read from the cache), before the first step. */
  onStart?(s: { resumeStep: number | null; refCached: boolean }): void | Promise<void>;
  /** Which rankings train, which are skipped or shortened and why (before the reference pass). */
  onScreened?(s: Screen<RankingExample>): void | Promise<void>;
}): Promise<StageOutcome<DpoResult>> {
  const { config, lineage, hooks } = args;
  const c = args.resumeFrom ? await loadLanguageModel(args.resumeFrom, { withOptimizer: true }) : await loadLanguageModel(args.sftDir);
  const resume = args.resumeFrom ? resumeStateOf(c, args.resumeFrom) : undefined;
  const { model, tokenizer } = c;
  const pad = tokenizer.special.pad;
  const maxLength = dpoMaxLength(config, model.config);

  // The reference pass: before any step the policy's weights are the SFT folder's.
  const forward = async (rankings: EncodedPreference[], shouldStop?: () => boolean | Promise<boolean>): Promise<number[][] | null> => {
    if (!resume) return sequenceLogps(model, rankings, pad, config.microBatchSize, shouldStop);
    const sft = await loadLanguageModel(args.sftDir);
    try {
      assertSameModel(sft.model, model, args.sftDir, sft.tokenizer.kind, tokenizer.kind);
      return await sequenceLogps(sft.model, rankings, pad, config.microBatchSize, shouldStop);
    } finally {
      sft.model.dispose();
    }
  };
  const reference: ReferenceLogps = async (rankings, shouldStop) => {
    let logps: number[][] | null = null;
    let key: string | null = null;
    if (args.refCacheDir) {
      key = refCacheKey(await weightsDigest(args.sftDir), maxLength, rankings);
      logps = await readRefCache(args.refCacheDir, key, rankings);
    }
    const refCached = logps !== null;
    if (!logps) {
      logps = await forward(rankings, shouldStop);
      if (!logps) return null; // stopped during the pass: nothing cached, no step taken
      if (args.refCacheDir && key) await writeRefCache(args.refCacheDir, key, logps);
    }
    await args.onStart?.({ resumeStep: resume?.step ?? null, refCached });
    return logps;
  };

  try {
    const res = await trainDpo({
      model,
      tokenizer,
      reference,
      data: args.rankings,
      evaluation: args.evaluation?.length ? args.evaluation : undefined,
      config,
      resume,
      onScreened: args.onScreened,
      callbacks: resumeCallbacks(hooks, (s, dir) => saveLanguageModel(dir, s.model, tokenizer, honeMeta('policy', lineage, s.step, s.metrics, s.trainerState), s.optimizerState)),
    });
    if (!res.stopped && args.outputDir) {
      const metrics = { train_loss: res.trainLoss, eval_loss: res.evalLoss, eval_accuracy: res.evalAccuracy, eval_margin: res.evalMargin, rankings: args.rankings.length };
      await saveLanguageModel(args.outputDir, model, tokenizer, honeMeta('policy', lineage, res.steps, metrics));
    }
    return { stopped: res.stopped, steps: res.steps, result: res };
  } finally {
    for (const t of resume?.optimizerState?.values() ?? []) t.dispose();
    model.dispose();
  }
}

/** A resumed policy and its reference must be the same architecture with the same tokenizer. */
function assertSameModel(reference: GPT, policy: GPT, sftDir: string, refTokenizer: string, policyTokenizer: string): void {
  const a = reference.config;
  const b = policy.config;
  const same = a.vocabSize === b.vocabSize && a.nLayer === b.nLayer && a.nEmbd === b.nEmbd && a.nHead === b.nHead && a.nPositions === b.nPositions && refTokenizer === policyTokenizer;
  if (!same) throw new Error(`The reference at ${sftDir} is not the model the DPO policy was trained from (another size or tokenizer).`);
}
