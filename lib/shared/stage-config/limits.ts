// Settings a model cannot honour: lengths beyond its context. The trainers would quietly cap them
// (so a setting would have no effect), or fail late; the launch API refuses them and the launch
// form marks them, with the same sentences, naming the field in words.
import type { StageConfigs, StageKey } from './index';

export type SettingProblem = {
  /** The request's path, as the API's error details give it: settings.<stage>.<field>. */
  path: string;
  stage: StageKey;
  field: string;
  message: string;
};

const problem = (stage: StageKey, field: string, message: string): SettingProblem => ({ path: `settings.${stage}.${field}`, stage, field, message });

/**
 * What in `settings` goes beyond a model with a context of `context` tokens, for the stages that
 * will run (pretrain only when a new base is trained).
 */
export function modelLimitProblems(context: number, settings: Partial<StageConfigs>, stages: readonly StageKey[]): SettingProblem[] {
  const out: SettingProblem[] = [];
  const ctx = `the model's context of ${context} tokens`;
  const runs = (k: StageKey) => stages.includes(k);
  const pre = settings.pretrain;
  if (runs('pretrain') && pre?.blockSize != null && pre.blockSize > context)
    out.push(problem('pretrain', 'blockSize', `Pretraining block size (${pre.blockSize}) is longer than ${ctx}: use ${context} or less, or leave it empty for the whole context.`));
  const sft = settings.sft;
  if (runs('sft') && sft?.maxLength != null && sft.maxLength > context)
    out.push(problem('sft', 'maxLength', `SFT maximum length (${sft.maxLength}) is longer than ${ctx}: use ${context} or less, or leave it empty for the whole context.`));
  const rm = settings.rm;
  if (runs('rm') && rm?.maxLength != null && rm.maxLength > context)
    out.push(problem('rm', 'maxLength', `Reward model maximum length (${rm.maxLength}) is longer than ${ctx}: use ${context} or less, or leave it empty for the whole context.`));
  const dpo = settings.dpo;
  if (runs('dpo') && dpo?.maxLength != null && dpo.maxLength > context)
    out.push(problem('dpo', 'maxLength', `DPO maximum length (${dpo.maxLength}) is longer than ${ctx}: use ${context} or less, or leave it empty for the whole context.`));
  const ppo = settings.ppo;
  if (runs('ppo') && ppo) {
    if (ppo.maxNewTokens >= context)
      out.push(problem('ppo', 'maxNewTokens', `PPO maximum new tokens (${ppo.maxNewTokens}) leaves no room for the prompt in ${ctx}: use ${context - 1} or less.`));
    else if (ppo.maxPromptTokens != null && ppo.maxPromptTokens + ppo.maxNewTokens > context)
      out.push(
        problem(
          'ppo',
          'maxPromptTokens',
          `PPO maximum prompt tokens (${ppo.maxPromptTokens}) plus maximum new tokens (${ppo.maxNewTokens}) is more than ${ctx}: use ${context - ppo.maxNewTokens} or less, or leave it empty.`,
        ),
      );
  }
  return out;
}
