// EVALUATE: the round's reward model on held-out rankings (pairwise accuracy), and the new
// policy against the previous one on held-out prompts: mean RM score of each, KL(new ‖ previous)
// estimated on the new policy's samples, and a few samples side by side. maxKl and
// minRmAccuracy decide the verdict. Reports steps 1 and 2 of EVALUATION_STEPS; the host stores
// the result as the last.
import type { EvaluateConfig, RewardConfig } from '../../shared/stage-config';
import type { EvaluationResult } from '../../shared/evaluation';
import type { PromptExample, RankingExample } from '../data/schemas';
import type { GPT } from '../model/gpt';
import type { RewardModel } from '../heads';
import { encodeRankings, evaluateRewardModel } from '../train/reward';
import { splitHoldout } from '../train/common';
import { generate } from '../generate';
import { mean, replyLogprobs, rmScores } from '../score';
import { loadLanguageModel, loadRewardModel } from './load-models';
import type { StageHooks } from './stage-hooks';
import { screenRankings } from '../data/screen';

export const EVALUATION_STEPS = 4;

export async function evaluatePipeline(args: {
  candidateDir: string;
  /** The policy to beat: its folder and how the verdict names it. */
  previous: { dir: string; name: string };
  /** The round's reward model; null when the round trained none (no accuracy, no scores). */
  rewardModelDir: string | null;
  /** Held-out rankings; when empty, the RM trainer's own split of `rankings` (same fraction and seed). */
  heldOutRankings: RankingExample[];
  rankings: RankingExample[];
  rewardConfig: RewardConfig;
  /** Held-out prompts (the first config.prompts are used). */
  prompts: PromptExample[];
  config: EvaluateConfig;
  hooks: Pick<StageHooks, 'onStep' | 'shouldStop'>;
}): Promise<{ stopped: true; step: number } | { stopped: false; evaluation: EvaluationResult }> {
  const { config: cfg, hooks } = args;
  const total = EVALUATION_STEPS;
  const owned: { dispose(): void }[] = [];
  const own = <T extends { dispose(): void }>(m: T): T => {
    owned.push(m);
    return m;
  };
  try {
    // 1. The RM on held-out rankings.
    let rmAccuracy: number | null = null;
    let rmPairs = 0;
    const rm: RewardModel | null = args.rewardModelDir ? own((await loadRewardModel(args.rewardModelDir)).rm) : null;
    const cand = await loadLanguageModel(args.candidateDir);
    own(cand.model);
    const tok = cand.tokenizer;
    if (rm) {
      const heldOut = args.heldOutRankings.length ? args.heldOutRankings : splitHoldout(args.rankings, args.rewardConfig.evalFraction, args.rewardConfig.seed).heldOut;
      // The rankings the RM trainer could use (data/screen.ts): unusable ones give no pair to judge.
      const usable = screenRankings(tok, heldOut, rm.backbone.config.nPositions).kept;
      if (usable.length) {
        const s = await evaluateRewardModel(rm, encodeRankings(tok, usable, rm.backbone.config.nPositions), tok.special.pad);
        rmAccuracy = s.accuracy;
        rmPairs = s.pairs;
      }
    }
    if (await hooks.shouldStop?.()) return { stopped: true, step: 1 };
    await hooks.onStep?.({ step: 1, totalSteps: total, metrics: rmAccuracy === null ? {} : { rm_accuracy: rmAccuracy } });

    // 2. Samples of both policies on held-out prompts.
    const prompts = args.prompts.slice(0, cfg.prompts);
    const contexts = prompts.map((p) => p.context);
    const prev: GPT = own((await loadLanguageModel(args.previous.dir)).model);
    const genOpts = { maxNewTokens: cfg.maxNewTokens, temperature: cfg.temperature, seed: cfg.seed };
    const candGen = await generate(cand.model, tok, contexts, genOpts);
    const prevGen = await generate(prev, tok, contexts, genOpts);
    if (await hooks.shouldStop?.()) return { stopped: true, step: 2 };
    await hooks.onStep?.({ step: 2, totalSteps: total, metrics: {} });

    // 3. KL(new ‖ previous) on the new policy's samples; RM scores of both.
    const candIds = candGen.map((g) => g.ids);
    const lpNew = await replyLogprobs(cand.model, tok, contexts, candIds, cfg.temperature);
    const lpPrev = await replyLogprobs(prev, tok, contexts, candIds, cfg.temperature);
    const kl = mean(lpNew.map((x, i) => x - lpPrev[i]));
    const scoreCand = rm ? await rmScores(rm, tok, contexts, candGen.map((g) => g.text)) : [];
    const scorePrev = rm ? await rmScores(rm, tok, contexts, prevGen.map((g) => g.text)) : [];
    const meanCand = scoreCand.length ? mean(scoreCand) : 0;
    const meanPrev = scorePrev.length ? mean(scorePrev) : 0;

    const reasons: string[] = [];
    if (!Number.isFinite(kl)) reasons.push('the KL estimate is not a finite number');
    else if (kl > cfg.maxKl) reasons.push(`KL from the ${args.previous.name} is ${kl.toFixed(3)}, above the limit ${cfg.maxKl}`);
    if (rmAccuracy !== null && rmAccuracy < cfg.minRmAccuracy) reasons.push(`held-out RM accuracy ${rmAccuracy.toFixed(3)} is below ${cfg.minRmAccuracy}`);
    if (rm && !Number.isFinite(meanCand)) reasons.push('the new policy’s mean RM score is not finite');
    return {
      stopped: false,
      evaluation: {
        rmAccuracy,
        rmPairs,
        meanScoreCandidate: meanCand,
        meanScorePrevious: meanPrev,
        kl,
        prompts: prompts.length,
        previous: args.previous.name,
        passed: reasons.length === 0,
        reasons,
        samples: prompts.slice(0, cfg.samples).map((p, i) => ({
          prompt: p.context.map((m) => m.content).join('\n'),
          previous: prevGen[i].text,
          candidate: candGen[i].text,
          previousScore: scorePrev[i] ?? 0,
          candidateScore: scoreCand[i] ?? 0,
        })),
      },
    };
  } finally {
    for (const m of owned) m.dispose();
  }
}
