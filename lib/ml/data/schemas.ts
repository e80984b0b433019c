// Training records as plain objects (the platform converts database rows into these; the CLI
// reads them from JSONL), with zod schemas and the checks every trainer runs before starting.
import { z } from 'zod';

export const ChatMessageSchema = z
  .object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })
  .strict();

/** Pretraining text: next-token loss on every token. */
export const PretrainExampleSchema = z.object({ text: z.string().min(1) }).strict();
export type PretrainExample = z.infer<typeof PretrainExampleSchema>;

/** A demonstration ([user, assistant]) or a multi-turn dialogue; loss on assistant tokens only. */
export const SftExampleSchema = z
  .object({ id: z.string().optional(), messages: z.array(ChatMessageSchema).min(1) })
  .strict()
  .refine((e) => e.messages.some((m) => m.role === 'assistant'), { message: 'messages need an assistant turn' });
export type SftExample = z.infer<typeof SftExampleSchema>;

/**
 * One ranking of K completions of the same context. `tiers` lists completion indices, best tier
 * first; indices in one tier are tied. Completions in no tier are not used.
 */
export const RankingExampleSchema = z
  .object({
    id: z.string().optional(),
    context: z.array(ChatMessageSchema).min(1),
    completions: z.array(z.string()).min(2),
    tiers: z.array(z.array(z.number().int().nonnegative()).min(1)),
    // its share in the reward model's loss (a weighted mean over rankings); 1 when left out
    weight: z.number().positive().finite().optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const problem = rankingProblem(r);
    if (problem) ctx.addIssue({ code: 'custom', path: ['tiers'], message: problem });
  });
export type RankingExample = z.infer<typeof RankingExampleSchema>;

/** A PPO prompt: the conversation so far; the policy writes the next assistant turn. */
export const PromptExampleSchema = z
  .object({ id: z.string().optional(), context: z.array(ChatMessageSchema).min(1) })
  .strict();
export type PromptExample = z.infer<typeof PromptExampleSchema>;

/** Name of item `i` for error messages: its id when it has one, else its position. */
export function itemName(item: { id?: string }, i: number): string {
  return item.id ? `item ${i} (id ${item.id})` : `item ${i}`;
}

/** What is wrong with a ranking's tiers, or null: < 2 tiers, an index out of range or repeated. */
export function rankingProblem(r: { completions: string[]; tiers: number[][] }): string | null {
  if (r.tiers.length < 2) return `${r.tiers.length} tier(s); at least 2 are needed for a preference pair`;
  const seen = new Set<number>();
  for (const tier of r.tiers)
    for (const c of tier) {
      if (c >= r.completions.length) return `names completion ${c} but has only ${r.completions.length}`;
      if (seen.has(c)) return `lists completion ${c} twice`;
      seen.add(c);
    }
  return null;
}

/** Throws naming the ranking when it has fewer than two tiers or a bad completion index. */
export function validateRanking(r: RankingExample, i: number): void {
  const problem = rankingProblem(r);
  if (problem) throw new Error(`ranking ${itemName(r, i)} has ${problem}`.replace('has names', 'names').replace('has lists', 'lists'));
}

/** Throws a clear error when a trainer gets no data. */
export function assertNonEmpty<T>(items: readonly T[], what: string): void {
  if (!items || items.length === 0) throw new Error(`empty dataset: no ${what} to train on`);
}
