// Kendall's τ-b between two rankings of the same items, ties allowed on both sides:
//   τ_b = (C − D) / √((n0 − n1)(n0 − n2))
// with n0 = n(n−1)/2 pairs, C / D concordant / discordant pairs, n1 / n2 pairs tied in the
// first / second ranking. Only items ranked by both are compared. When either ranking ties
// every item the statistic is undefined and we return null (never 0, which would read as
// "no agreement").
import { tierOf, type Tiers } from './ranking';

export function kendallTauB(a: Tiers, b: Tiers): number | null {
  const ra = tierOf(a);
  const rb = tierOf(b);
  const items = [...ra.keys()].filter((i) => rb.has(i));
  const n = items.length;
  if (n < 2) return null;
  let c = 0;
  let d = 0;
  let tA = 0;
  let tB = 0;
  for (let x = 0; x < n; x++) {
    for (let y = x + 1; y < n; y++) {
      const da = Math.sign(ra.get(items[x])! - ra.get(items[y])!);
      const db = Math.sign(rb.get(items[x])! - rb.get(items[y])!);
      if (da === 0) tA++;
      if (db === 0) tB++;
      if (da !== 0 && db !== 0) {
        if (da === db) c++;
        else d++;
      }
    }
  }
  const n0 = (n * (n - 1)) / 2;
  const denom = Math.sqrt((n0 - tA) * (n0 - tB));
  if (denom === 0) return null;
  return (c - d) / denom;
}
