// Client-safe labeling constants and pure helpers, shared by the pages, the API, the export
// and the training code. Nothing here touches the database, Node or the DOM.

export const TASK_KINDS = ['DEMONSTRATION', 'DIALOGUE', 'RANKING', 'ARENA'] as const;
export type TaskKindName = (typeof TASK_KINDS)[number];
/** The kinds a project's task mix weighs. ARENA is not one: while an arena evaluation is open its
 *  battles come before the mix (the admin started it to get votes), see next-task.ts. */
export const MIX_KINDS = ['DEMONSTRATION', 'DIALOGUE', 'RANKING'] as const;
export type MixKindName = (typeof MIX_KINDS)[number];

export const TASK_KIND_LABEL: Record<TaskKindName, string> = {
  DEMONSTRATION: 'Demonstration',
  DIALOGUE: 'Dialogue',
  RANKING: 'Ranking',
  ARENA: 'Arena vote',
};

/**
 * A labeler's answer to an arena battle, in the sides they saw: the left reply better, the right
 * one, a tie, or both bad. Stored mapped to the battle's own order (model A, model B).
 */
export const ARENA_VOTES = ['left', 'right', 'tie', 'both_bad'] as const;
export type ArenaVoteName = (typeof ARENA_VOTES)[number];
export type ArenaWinnerName = 'MODEL_A' | 'MODEL_B' | 'TIE' | 'BOTH_BAD';

/**
 * Whether this labeler sees the battle's model B on the left: a coin from the battle's
 * displaySeed salted with the labeler's id, so it is stable on reload and differs between
 * labelers (position bias averages out).
 */
export function arenaSwapped(displaySeed: number, userId: string): boolean {
  return mulberry32((displaySeed ^ hash32(userId)) >>> 0)() < 0.5;
}

/** The side a labeler chose → the winner in the battle's order. */
export function arenaWinner(vote: ArenaVoteName, swapped: boolean): ArenaWinnerName {
  if (vote === 'tie') return 'TIE';
  if (vote === 'both_bad') return 'BOTH_BAD';
  const left = swapped ? 'MODEL_B' : 'MODEL_A';
  const right = swapped ? 'MODEL_A' : 'MODEL_B';
  return vote === 'left' ? left : right;
}

/** Limits on what labelers and imports may write (characters). */
export const LIMITS = {
  promptChars: 20_000,
  answerChars: 20_000,
  messageChars: 20_000,
  completionChars: 20_000,
  commentChars: 2_000,
  skipReasonChars: 500,
  guidelinesChars: 200_000,
  importBytes: 20 * 1024 * 1024,
  importRows: 50_000,
  tagsPerPrompt: 20,
  tagChars: 64,
} as const;

export const K_MIN = 4;
export const K_MAX = 9;
export const LIKERT_MIN = 1;
export const LIKERT_MAX = 7;

/**
 * Per-completion flags, after the metadata InstructGPT's labelers recorded for each output
 * (Ouyang et al. 2022, appendix B.2 / table 3).
 */
export const COMPLETION_FLAGS = [
  { id: 'fails_instruction', label: 'Fails to follow the instruction / task' },
  { id: 'hallucination', label: 'Makes up facts (hallucination)' },
  { id: 'inappropriate_customer_assistant', label: 'Inappropriate for a customer assistant' },
  { id: 'sexual_content', label: 'Contains sexual content' },
  { id: 'violent_content', label: 'Contains violent content' },
  { id: 'harmful_advice', label: 'Encourages violence, abuse, terrorism or self-harm / harmful advice' },
  { id: 'denigrates_protected_class', label: 'Denigrates a protected class' },
  { id: 'does_not_follow_constraints', label: 'Ignores explicit constraints in the instruction' },
  { id: 'expresses_opinion', label: 'Expresses a moral judgement or opinion' },
  { id: 'not_english_when_asked', label: 'Wrong language' },
] as const;
export type CompletionFlag = (typeof COMPLETION_FLAGS)[number]['id'];
export const COMPLETION_FLAG_IDS = COMPLETION_FLAGS.map((f) => f.id) as [CompletionFlag, ...CompletionFlag[]];

export const SKIP_REASONS = [
  { id: 'unclear', label: 'The prompt is unclear' },
  { id: 'expertise', label: 'Needs expertise I do not have' },
  { id: 'harmful', label: 'Harmful or inappropriate content' },
  { id: 'broken', label: 'Broken or duplicate item' },
  { id: 'other', label: 'Other' },
] as const;

/** Tiers of completion indices, best tier first; indices in one tier are tied. */
export type Tiers = number[][];

export type PreferencePair = { chosen: number; rejected: number; margin: number };

/**
 * Every preference implied by a tiered ranking: each item of a better tier beats each item of
 * a worse one; items in one tier are tied and give no pair. margin = tier distance (1 for
 * adjacent tiers). Pairs come out best tier first, then by position inside tiers.
 */
export function tiersToPairs(tiers: Tiers): PreferencePair[] {
  const pairs: PreferencePair[] = [];
  for (let i = 0; i < tiers.length; i++) {
    for (let j = i + 1; j < tiers.length; j++) {
      for (const chosen of tiers[i]) for (const rejected of tiers[j]) pairs.push({ chosen, rejected, margin: j - i });
    }
  }
  return pairs;
}

/**
 * Checks that tiers rank each of the k completions exactly once. Returns a message naming
 * the problem, or null when the ranking is complete.
 */
export function tiersProblem(tiers: Tiers, k: number): string | null {
  if (!Array.isArray(tiers) || tiers.length === 0) return 'The ranking is empty: put every completion in a tier.';
  const seen = new Map<number, number>();
  for (let t = 0; t < tiers.length; t++) {
    const tier = tiers[t];
    if (!Array.isArray(tier) || tier.length === 0) return `Tier ${t + 1} is empty.`;
    for (const i of tier) {
      if (!Number.isInteger(i) || i < 0 || i >= k) return `Tier ${t + 1} names completion ${i}, but this set has completions 0–${k - 1}.`;
      if (seen.has(i)) return `Completion ${i} appears twice (tiers ${seen.get(i)! + 1} and ${t + 1}).`;
      seen.set(i, t);
    }
  }
  const missing = [...Array(k).keys()].filter((i) => !seen.has(i));
  if (missing.length) return `The ranking omits completion${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: every completion must be ranked.`;
  return null;
}

/** mulberry32: a small, fast, seedable PRNG (same sequence in the browser and in Node). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a 32-bit hash of a string, for salting seeds. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The order in which k completions are shown: a Fisher–Yates shuffle of 0..k-1 driven by the
 * set's displaySeed, salted with the labeler's id when given, so each labeler sees their own
 * (reproducible) order and position bias averages out across labelers.
 */
export function displayOrder(k: number, seed: number, salt?: string): number[] {
  const rand = mulberry32(salt === undefined ? seed : (seed ^ hash32(salt)) >>> 0);
  const order = [...Array(k).keys()];
  for (let i = k - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Task-mix weights → kinds in the order to try: a weighted random permutation (weight 0 = never). */
export function kindOrder(weights: Record<MixKindName, number>, rand: () => number = Math.random): MixKindName[] {
  const pool = MIX_KINDS.filter((k) => weights[k] > 0).map((k) => ({ k, w: weights[k] }));
  const out: MixKindName[] = [];
  while (pool.length) {
    const total = pool.reduce((s, p) => s + p.w, 0);
    let r = rand() * total;
    let idx = pool.length - 1;
    for (let i = 0; i < pool.length; i++) {
      r -= pool[i].w;
      if (r < 0) {
        idx = i;
        break;
      }
    }
    out.push(pool[idx].k);
    pool.splice(idx, 1);
  }
  return out;
}
