// Pure helpers over a ranking stored as tiers: arrays of completion indices, best tier first,
// items in one tier tied. Everything here is deterministic and allocation-light, because the
// exporters call it once per judgement on million-row exports.

import type { Tiers } from '../../shared/labeling';

export type { Tiers };

/**
 * Reads a Judgement.tiers / CompletionSet.goldTiers JSON value; anything malformed is null.
 * With `k`, indices outside 0..k−1 (completions that do not exist) are dropped.
 */
export function parseTiers(value: unknown, k?: number): Tiers | null {
  if (!Array.isArray(value)) return null;
  const seen = new Set<number>();
  const out: Tiers = [];
  for (const tier of value) {
    if (!Array.isArray(tier)) return null;
    const t: number[] = [];
    for (const i of tier) {
      if (!Number.isInteger(i) || i < 0 || seen.has(i)) return null;
      seen.add(i);
      if (k !== undefined && i >= k) continue;
      t.push(i);
    }
    if (t.length) out.push(t);
  }
  return out.length ? out : null;
}

/** tier position of each item (0 = best tier); items not ranked are absent. */
export function tierOf(tiers: Tiers): Map<number, number> {
  const m = new Map<number, number>();
  tiers.forEach((tier, t) => tier.forEach((i) => m.set(i, t)));
  return m;
}

/**
 * Fractional ("mid") ranks, 1 = best: items of one tier share the mean of the positions they
 * would occupy. [[2],[0,1],[3]] → {2: 1, 0: 2.5, 1: 2.5, 3: 4}.
 */
export function midRanks(tiers: Tiers): Map<number, number> {
  const m = new Map<number, number>();
  let pos = 1;
  for (const tier of tiers) {
    const r = pos + (tier.length - 1) / 2;
    for (const i of tier) m.set(i, r);
    pos += tier.length;
  }
  return m;
}

/** Tiers from scores, higher is better; equal scores (within eps) share a tier. */
export function tiersFromScores(scores: Map<number, number>, eps = 1e-9): Tiers {
  const items = [...scores.keys()].sort((x, y) => scores.get(y)! - scores.get(x)! || x - y);
  const out: Tiers = [];
  let last = Number.NaN;
  for (const i of items) {
    const s = scores.get(i)!;
    if (out.length && Math.abs(s - last) <= eps) out[out.length - 1].push(i);
    else out.push([i]);
    last = s;
  }
  return out;
}
