// Which training items a stage can use, decided once for the trainers and for the launch form's
// pre-flight check (no TensorFlow here, so the web app may run it). An unusable item is skipped
// and counted, never a reason to fail the whole stage; the stage stops only when the skipped
// share passes its maxSkipFraction setting (lib/shared/item-problems.ts words the outcome).
//
// Skip or cut? SFT learns the answer that follows the whole question, and keeps a conversation's
// first tokens: when the question alone fills the context no answer token is left, and training
// on half a question would teach the answer to another one, so the item is skipped. The reward
// model reads its score at the last token and PPO writes after the prompt's end, so both keep the
// end of a long context and lose its start (as serving does): those items are kept and counted
// as shortened.
import { encodeChat, type ChatMessage } from '../tokenizer/chat';
import type { Tokenizer } from '../tokenizer/tokenizer';
import { assertNonEmpty, rankingProblem, type PromptExample, type RankingExample, type SftExample } from './schemas';
import { STAGE_ITEMS, shortenedText, skipLimitProblem, skippedLine, type DataStage, type SkipCount, type SkipReason } from '../../shared/item-problems';

export type ScreenedItem = { index: number; id?: string; reason: SkipReason };

export type Screen<T> = {
  stage: DataStage;
  /** Tokens an item had to fit (the context the check used). */
  context: number;
  total: number;
  kept: T[];
  skipped: ScreenedItem[];
  /** Kept with the start of their prompt cut (RM, PPO). */
  shortened: { index: number; id?: string }[];
};

const blank = (s: string) => s.trim().length === 0;

/** Why an SFT conversation cannot train within `maxLength` tokens, or null. */
export function sftProblem(tok: Tokenizer, e: SftExample, maxLength: number): SkipReason | null {
  const answers = e.messages.filter((m) => m.role === 'assistant');
  if (answers.length === 0 || answers.every((m) => blank(m.content)) || !e.messages.some((m) => m.role !== 'assistant' && !blank(m.content))) return 'empty';
  // The row keeps ids[0..maxLength]; its targets are ids[1..maxLength] (lm.ts toRow).
  const { assistantMask } = encodeChat(tok, e.messages);
  return assistantMask.slice(1, maxLength + 1).includes(1) ? null : 'too-long';
}

const replyIds = (tok: Tokenizer, context: ChatMessage[], reply: string) => encodeChat(tok, [...context, { role: 'assistant', content: reply }]).ids;

/** Why a ranking cannot train, or null; `cut` tells whether a completion loses its context's start. */
export function rankingCheck(tok: Tokenizer, r: RankingExample, maxLength: number): { problem: SkipReason | null; cut: boolean } {
  if (r.context.every((m) => blank(m.content))) return { problem: 'empty', cut: false };
  if (r.tiers.length < 2) return { problem: 'no-pair', cut: false };
  if (rankingProblem(r)) return { problem: 'bad-ranking', cut: false };
  const used = r.tiers.flat();
  if (new Set(used.map((c) => r.completions[c].trim())).size < 2) return { problem: 'few-completions', cut: false };
  const cut = used.some((c) => replyIds(tok, r.context, r.completions[c]).length > maxLength);
  return { problem: null, cut };
}

/** Why a PPO prompt cannot be used, or null; `cut` when it keeps only its last promptTokens. */
export function promptCheck(tok: Tokenizer, p: PromptExample, promptTokens: number): { problem: SkipReason | null; cut: boolean } {
  if (p.context.every((m) => blank(m.content))) return { problem: 'empty', cut: false };
  return { problem: null, cut: encodeChat(tok, p.context, { addGenerationPrompt: true }).ids.length > promptTokens };
}

function screen<T extends { id?: string }>(stage: DataStage, context: number, items: T[], check: (item: T) => { problem: SkipReason | null; cut: boolean }): Screen<T> {
  const out: Screen<T> = { stage, context, total: items.length, kept: [], skipped: [], shortened: [] };
  items.forEach((item, index) => {
    const { problem, cut } = check(item);
    if (problem) out.skipped.push({ index, id: item.id, reason: problem });
    else {
      out.kept.push(item);
      if (cut) out.shortened.push({ index, id: item.id });
    }
  });
  return out;
}

export const screenSft = (tok: Tokenizer, items: SftExample[], maxLength: number) =>
  screen('sft', maxLength, items, (e) => ({ problem: sftProblem(tok, e, maxLength), cut: false }));

/** `stage` names whose rankings they are in reports and limits: the reward model's, or DPO's (the same checks). */
export const screenRankings = (tok: Tokenizer, items: RankingExample[], maxLength: number, stage: 'rm' | 'dpo' = 'rm') =>
  screen(stage, maxLength, items, (r) => rankingCheck(tok, r, maxLength));

export const screenPrompts = (tok: Tokenizer, items: PromptExample[], promptTokens: number) => screen('ppo', promptTokens, items, (p) => promptCheck(tok, p, promptTokens));

/** Skipped items per reason. */
export function skipCounts(skipped: { reason: SkipReason }[]): SkipCount[] {
  const m = new Map<SkipReason, number>();
  for (const s of skipped) m.set(s.reason, (m.get(s.reason) ?? 0) + 1);
  return [...m].map(([reason, count]) => ({ reason, count }));
}

/** Train and held-out screens of one stage as one (for counting and the limit). */
export function mergeScreens<T>(a: Screen<T>, b: Screen<T>): Screen<T> {
  return { stage: a.stage, context: a.context, total: a.total + b.total, kept: [...a.kept, ...b.kept], skipped: [...a.skipped, ...b.skipped], shortened: [...a.shortened, ...b.shortened] };
}

/** What the stage's log says about its data, in words; null when every item is used whole. */
export function screenSummary(s: Screen<unknown>): string | null {
  const parts: string[] = [];
  if (s.skipped.length) parts.push(skippedLine(s.stage, s.skipped.length, s.total, skipCounts(s.skipped), s.context));
  if (s.shortened.length) parts.push(`Shortened ${s.shortened.length} of ${s.total} ${STAGE_ITEMS[s.stage].plural}: ${shortenedText(s.stage, s.context)}.`);
  return parts.length ? parts.join(' ') : null;
}

/**
 * Screens a stage's train and held-out items together: reports them (`onScreened`, before the
 * first step), stops past the skip limit, and returns the usable items of each share.
 */
export async function screenSplit<T>(
  split: { train: T[]; heldOut: T[] },
  screenOne: (items: T[]) => Screen<T>,
  opts: { maxSkipFraction: number; what: string; onScreened?: (s: Screen<T>) => void | Promise<void> },
): Promise<{ train: T[]; heldOut: T[] }> {
  const train = screenOne(split.train);
  const heldOut = screenOne(split.heldOut);
  const all = mergeScreens(train, heldOut);
  await opts.onScreened?.(all);
  enforceSkipLimit(all, opts.maxSkipFraction);
  assertNonEmpty(train.kept, opts.what);
  return { train: train.kept, heldOut: heldOut.kept };
}

/** Throws a message that says what to do when the skipped share passes `maxSkipFraction` (or nothing is left). */
export function enforceSkipLimit(s: Screen<unknown>, maxSkipFraction: number): void {
  const problem = skipLimitProblem(s.stage, s.skipped.length, s.total, skipCounts(s.skipped), s.context, maxSkipFraction);
  if (problem) throw new Error(problem);
}
