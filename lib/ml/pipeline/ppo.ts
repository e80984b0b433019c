// PPO: policy and frozen reference from the SFT model; the reward is a reward model (shifted to
// mean 0 on demonstrations, InstructGPT) or a function the host supplies. The critic starts
// from the reward model (criticFromRewardModel) or, with a reward function, from the SFT model
// with a fresh head. A resume point is a pair of folders (PpoFolders): the critic, then the
// policy with the Adam state of both and the KL controller's β.
import type { PpoConfig } from '../../shared/stage-config';
import type { PretrainExample, PromptExample, SftExample } from '../data/schemas';
import { ValueModel, criticFromRewardModel, rewardNormalizer, rmReward, type RewardModel } from '../heads';
import { pretrainRows } from '../train/pretrain';
import { sftRows } from '../train/sft';
import { trainPpo, type PpoResult, type RewardFn } from '../train/ppo';
import type { LmRow } from '../train/lm';
import type { Tokenizer } from '../tokenizer';
import { loadCritic, loadLanguageModel, loadRewardModel, resumeStateOf } from './load-models';
import { saveLanguageModel, savePolicyAndCritic, nestedPpoFolders, type PpoFolders } from './save-models';
import { honeMeta, type Lineage } from './lineage';
import { resumeCallbacks, type StageHooks, type StageOutcome } from './stage-hooks';
import { screenSft, type Screen } from '../data/screen';

export type PpoReward = { rewardModelDir: string; demonstrations: SftExample[] } | { fn: RewardFn };

/** Text for the PPO-ptx term: conversations (loss on assistant turns) or plain documents. */
export type PtxData = { conversations: SftExample[] } | { texts: PretrainExample[] };

/** Conversations that leave no assistant token within the context give no ptx row (as in SFT, they are skipped). */
function ptxRows(tok: Tokenizer, ptx: PtxData, maxLength: number): LmRow[] {
  return 'conversations' in ptx ? sftRows(tok, screenSft(tok, ptx.conversations, maxLength).kept, maxLength) : pretrainRows(tok, ptx.texts, maxLength);
}

export async function ppoPipeline(args: {
  /** The SFT model: the policy's start and the frozen reference. */
  sftDir: string;
  reward: PpoReward;
  prompts: PromptExample[];
  ptx?: PtxData;
  config: PpoConfig;
  lineage: Lineage;
  hooks: StageHooks;
  /** A resume point written through hooks.saveResume, laid out by `folders`. */
  resumeFrom?: string;
  /** Where the policy and critic of a resume point live inside (or beside) its folder. */
  folders?: (dir: string) => PpoFolders;
  /** Where the finished policy goes (not on a stop), with the run's summary metrics. */
  outputDir?: string;
  onStart?(s: { resumeStep: number | null; rewardOffset: number; normalisedOn: number; ptxRows: number }): void | Promise<void>;
  /** Which prompts are used, skipped or shortened and why (before the first step). */
  onScreened?(s: Screen<PromptExample>): void | Promise<void>;
}): Promise<StageOutcome<PpoResult & { rewardOffset: number }>> {
  const { config, lineage, hooks } = args;
  const folders = args.folders ?? nestedPpoFolders;
  const sft = await loadLanguageModel(args.sftDir);
  const reference = sft.model;
  const tok = sft.tokenizer;
  const owned: { dispose(): void }[] = [reference];
  try {
    let reward: RewardFn;
    let rm: RewardModel | null = null;
    let offset = 0;
    let normalisedOn = 0;
    if ('rewardModelDir' in args.reward) {
      rm = (await loadRewardModel(args.reward.rewardModelDir)).rm;
      owned.push(rm);
      if (rm.backbone.config.tokenizer !== tok.kind) {
        throw new Error(`The reward model at ${args.reward.rewardModelDir} uses the ${rm.backbone.config.tokenizer} tokenizer, the policy ${tok.kind}.`);
      }
      if (args.reward.demonstrations.length) {
        const norm = await rewardNormalizer(rm, tok, args.reward.demonstrations);
        offset = norm.offset;
        normalisedOn = norm.count;
      }
      reward = rmReward(rm, tok, offset);
    } else reward = args.reward.fn;

    let policy;
    let critic: ValueModel;
    let resume;
    if (args.resumeFrom) {
      const at = folders(args.resumeFrom);
      const p = await loadLanguageModel(at.policy, { withOptimizer: true });
      policy = p.model;
      owned.push(policy);
      resume = resumeStateOf(p, at.policy);
      critic = (await loadCritic(at.value)).critic;
    } else {
      policy = reference.clone();
      owned.push(policy);
      critic = rm ? criticFromRewardModel(rm, offset) : new ValueModel(reference.clone());
    }
    owned.push(critic);
    const ptx = args.ptx ? ptxRows(tok, args.ptx, policy.config.nPositions) : undefined;
    await args.onStart?.({ resumeStep: resume?.step ?? null, rewardOffset: offset, normalisedOn, ptxRows: ptx?.length ?? 0 });
    try {
      const res = await trainPpo({
        policy,
        reference,
        critic,
        tokenizer: tok,
        prompts: args.prompts,
        reward,
        ptx,
        config,
        resume,
        onScreened: args.onScreened,
        callbacks: resumeCallbacks(hooks, (s, dir) =>
          savePolicyAndCritic(folders(dir), {
            policy: s.policy,
            critic: s.critic,
            tokenizer: tok,
            criticHone: honeMeta('value', lineage, s.step, s.metrics),
            policyHone: honeMeta('policy', lineage, s.step, s.metrics, s.trainerState),
            optimizerState: s.optimizerState,
          }),
        ),
      });
      if (!res.stopped && args.outputDir) {
        const metrics = { ...res.metrics, kl_coef_final: res.klCoef, reward_offset: offset };
        await saveLanguageModel(args.outputDir, policy, tok, honeMeta('policy', lineage, res.steps, metrics));
      }
      return { stopped: res.stopped, steps: res.steps, result: { ...res, rewardOffset: offset } };
    } finally {
      for (const t of resume?.optimizerState?.values() ?? []) t.dispose();
    }
  } finally {
    for (const m of owned) m.dispose();
  }
}
