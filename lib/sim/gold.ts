// The hidden "true" preference simulated labelers rank by (docs/researchers.md, "Measuring the loop"), and the noise model.
// A gold preference is any function (prompt, completion) → score, higher is better; ship your
// own by passing one to the labelers. The default prefers what a terse assistant would write:
// an answer about the subject of the prompt, one short sentence (16–40 characters), ending with
// a period, without stuttering. Every term is a quality a person notices, in steps rather than
// by degrees, and each is learnable by a small byte-level model, so the benchmark can tell
// whether the reward model and PPO learned it.
export type GoldPreference = (prompt: string, completion: string) => number;

const STOP = new Set(['the', 'and', 'what', 'tell', 'about', 'describe', 'explain', 'please', 'me', 'is', 'are', 'a', 'an', 'of', 'in', 'to', 'one', 'short', 'sentence', 'give', 'word']);

export function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z]{3,}/g) ?? []).filter((w) => !STOP.has(w));
}

export const TARGET_LENGTH = 28;

export const defaultGold: GoldPreference = (prompt, completion) => {
  const t = completion.trim();
  if (!t) return -4;
  let s = 0;
  s += t.endsWith('.') ? 1 : 0;
  // 16–40 characters cost nothing; beyond, in bands (a person does not tell 43 from 44
  // characters apart): −0.5 up to 20 characters out of the window, −1 further out
  const outside = Math.max(0, Math.abs(t.length - TARGET_LENGTH) - 12);
  s -= outside === 0 ? 0 : outside <= 20 ? 0.5 : 1;
  const want = contentWords(prompt);
  if (want.length) {
    const have = t.toLowerCase();
    s += (1.5 * want.filter((w) => have.includes(w)).length) / want.length;
  }
  s -= 0.5 * (t.match(/(.)\1\1/g)?.length ?? 0); // "aaa", "..." stutter
  return s;
};

/**
 * A ranking of completions by a gold preference, as tiers of indices (best first; equal
 * scores share a tier). With probability `noise` the labeler is careless on this item and
 * ranks in a random order instead — so about noise/2 of the implied pairs are flipped.
 */
export function rankByGold(prompt: string, completions: string[], gold: GoldPreference, noise: number, rand: () => number): number[][] {
  const careless = rand() < noise;
  const scored = completions.map((c, i) => ({ i, s: careless ? rand() : gold(prompt, c) }));
  scored.sort((a, b) => b.s - a.s);
  const tiers: number[][] = [];
  let last = NaN;
  for (const x of scored) {
    if (tiers.length && Math.abs(x.s - last) < 1e-9) tiers[tiers.length - 1].push(x.i);
    else tiers.push([x.i]);
    last = x.s;
  }
  return tiers;
}

/** Pairwise agreement of scores with the gold preference over pairs gold can tell apart. */
export function goldPairAccuracy(items: { prompt: string; completions: string[]; scores: number[] }[], gold: GoldPreference = defaultGold): { accuracy: number; pairs: number } {
  let right = 0;
  let pairs = 0;
  for (const it of items) {
    const g = it.completions.map((c) => gold(it.prompt, c));
    for (let i = 0; i < g.length; i++)
      for (let j = i + 1; j < g.length; j++) {
        if (Math.abs(g[i] - g[j]) < 1e-9) continue;
        pairs++;
        if (Math.sign(g[i] - g[j]) === Math.sign(it.scores[i] - it.scores[j])) right++;
      }
  }
  return { accuracy: pairs ? right / pairs : NaN, pairs };
}
