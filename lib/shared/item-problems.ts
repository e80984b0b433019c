// Why a training item cannot be used, in words a person reads: the same codes and sentences for
// the launch form's pre-flight check, the worker's stage log and the error that stops a stage,
// so the admin sees one vocabulary from plan to run (client-safe, no imports).

/** Problems that make an item unusable: the stage skips it. */
export const SKIP_REASONS = ['empty', 'too-long', 'no-pair', 'few-completions', 'bad-ranking'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** What the stages train on, as the admin names them. */
export const DATA_STAGES = ['sft', 'rm', 'ppo', 'dpo'] as const;
export type DataStage = (typeof DATA_STAGES)[number];

export const STAGE_ITEMS: Record<DataStage, { plural: string; title: string }> = {
  sft: { plural: 'SFT items', title: 'SFT (demonstrations and dialogues)' },
  rm: { plural: 'rankings', title: 'Reward model (rankings)' },
  ppo: { plural: 'PPO prompts', title: 'PPO (prompts)' },
  dpo: { plural: 'DPO rankings', title: 'DPO (rankings)' },
};

/** One reason in words; `context` is the token budget the item had to fit. */
export function skipReasonText(reason: SkipReason, context: number): string {
  switch (reason) {
    case 'empty':
      return 'empty (no prompt text or no answer)';
    case 'too-long':
      return `prompt longer than the model's context (${context} tokens), so no answer token fits`;
    case 'no-pair':
      return 'ranking gives no preference pair (every completion tied)';
    case 'few-completions':
      return 'fewer than 2 distinct completions to compare';
    case 'bad-ranking':
      return 'ranking names a completion that is missing or listed twice';
  }
}

/** The note for items kept with the start of their prompt cut off (RM and PPO read the end); `budget` is the tokens they keep. */
export function shortenedText(stage: DataStage, budget: number): string {
  return stage === 'ppo'
    ? `start of the prompt cut to its last ${budget} tokens (what the model's context leaves beside the reply); still used`
    : `start of the prompt cut so prompt and completion fit ${budget} tokens; still trained on`;
}

/** What an admin can do about a reason, for the message that stops a stage or a launch. */
export function skipReasonAdvice(reason: SkipReason): string {
  switch (reason) {
    case 'empty':
      return 'fill in or delete the empty items';
    case 'too-long':
      return 'start from a model with a longer context, or shorten those prompts';
    case 'no-pair':
      return 'have labelers rank those sets again without tying every completion';
    case 'few-completions':
      return 'sample more varied completions for those sets';
    case 'bad-ranking':
      return 'have labelers rank those sets again';
  }
}

export type SkipCount = { reason: SkipReason; count: number };

/** "2 prompt longer than …; 1 empty (…)": counts per reason, most first. */
export function describeSkips(counts: SkipCount[], context: number): string {
  return [...counts]
    .filter((c) => c.count > 0)
    .sort((a, b) => b.count - a.count)
    .map((c) => `${c.count} ${skipReasonText(c.reason, context)}`)
    .join('; ');
}

/** "Skipped 3 of 40 SFT items: 3 prompt longer than …": the stage log's line. */
export function skippedLine(stage: DataStage, skipped: number, total: number, counts: SkipCount[], context: number): string {
  return `Skipped ${skipped} of ${total} ${STAGE_ITEMS[stage].plural}: ${describeSkips(counts, context)}.`;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/**
 * Why a stage cannot run on its data, or null when the skipped share is within `limit`: too many
 * items skipped, or none left at all. Says what to do.
 */
export function skipLimitProblem(stage: DataStage, skipped: number, total: number, counts: SkipCount[], context: number, limit: number): string | null {
  const kept = total - skipped;
  if (total > 0 && kept > 0 && skipped / total <= limit) return null;
  const what = STAGE_ITEMS[stage].plural;
  const advice = [...new Set([...counts].filter((c) => c.count > 0).sort((a, b) => b.count - a.count).map((c) => skipReasonAdvice(c.reason)))];
  if (total === 0) return `There are no ${what} to train on.`;
  const head =
    kept === 0
      ? `None of the ${total} ${what} can be used (${describeSkips(counts, context)}).`
      : `${skipped} of ${total} ${what} (${pct(skipped / total)}) cannot be used, more than the limit of ${pct(limit)} (${describeSkips(counts, context)}).`;
  const raise = kept > 0 ? `, or raise the most the stage may skip (its ${stage}.maxSkipFraction setting, now ${limit})` : '';
  return `${head} To train: ${advice.join('; ')}${raise}.`;
}

/** What a stage did with its data, stored on its job row (TrainingJob.dataReport) for the round page. */
export type DataReport = {
  stage: DataStage;
  total: number;
  used: number;
  skipped: number;
  shortened: number;
  /** The token budget items had to fit. */
  context: number;
  reasons: SkipCount[];
};
