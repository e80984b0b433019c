// Pairwise accuracy against a gold order: over the pairs the gold order does not tie, how many
// the labeler ordered the same way. A pair the labeler tied counts as wrong: the gold says one
// completion is better, and a tie does not say which (counting ties as half-right would reward
// tying everything). Completions missing from either ranking are left out.
import { tierOf, type Tiers } from './ranking';

export function goldPairAgreement(labeler: Tiers, gold: Tiers): { pairs: number; correct: number } {
  const rl = tierOf(labeler);
  const rg = tierOf(gold);
  const items = [...rg.keys()].filter((i) => rl.has(i));
  let pairs = 0;
  let correct = 0;
  for (let x = 0; x < items.length; x++) {
    for (let y = x + 1; y < items.length; y++) {
      const g = Math.sign(rg.get(items[x])! - rg.get(items[y])!);
      if (g === 0) continue;
      pairs++;
      if (Math.sign(rl.get(items[x])! - rl.get(items[y])!) === g) correct++;
    }
  }
  return { pairs, correct };
}
