// The consensus ranking of one set, derived from its raw judgements (which stay the source of
// truth and are exported beside it, never replaced by it).
//
// Method: Copeland's pairwise-majority rule. For every pair of completions (a, b) we count the
// judgements that rank a above b and b above a (ties count for neither). a scores 1 for a
// pairwise majority over b, ½ for an exact split (including "never separated"), 0 otherwise;
// completions with equal Copeland score share a tier. Copeland is a Condorcet method (a
// completion every majority prefers lands alone on top), handles ties in the input and in the
// output without tuning, and stays defined with 2–3 judgements per set, where a Bradley–Terry
// fit would diverge under perfect separation.
import { tierOf, tiersFromScores, type Tiers } from './ranking';

export type Consensus = {
  method: 'copeland';
  tiers: Tiers;
  /** Copeland score per completion index (wins + ½ ties over the other K − 1 completions). */
  scores: Record<string, number>;
  /** Judgements it was computed from. */
  n: number;
};

export function copeland(rankings: Tiers[], items?: number[]): Consensus | null {
  if (!rankings.length) return null;
  const all = new Set<number>(items ?? []);
  const positions = rankings.map((r) => tierOf(r));
  for (const p of positions) for (const i of p.keys()) all.add(i);
  const ids = [...all].sort((a, b) => a - b);
  const score = new Map<number, number>(ids.map((i) => [i, 0]));
  for (let x = 0; x < ids.length; x++) {
    for (let y = x + 1; y < ids.length; y++) {
      const a = ids[x];
      const b = ids[y];
      let ab = 0;
      let ba = 0;
      for (const p of positions) {
        const pa = p.get(a);
        const pb = p.get(b);
        if (pa === undefined || pb === undefined || pa === pb) continue;
        if (pa < pb) ab++;
        else ba++;
      }
      if (ab > ba) score.set(a, score.get(a)! + 1);
      else if (ba > ab) score.set(b, score.get(b)! + 1);
      else {
        score.set(a, score.get(a)! + 0.5);
        score.set(b, score.get(b)! + 0.5);
      }
    }
  }
  const scores: Record<string, number> = {};
  for (const i of ids) scores[String(i)] = score.get(i)!;
  return { method: 'copeland', tiers: tiersFromScores(score), scores, n: rankings.length };
}
