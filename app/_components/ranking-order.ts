// The pure half of the sortable ranking widget: an order of ids, best first, and `ties` (ids
// that share the rank of the card above them). Kept apart from React so it is unit-tested
// (test/ranking-order.test.ts) and usable by any caller that stores rankings.

export type RankingValue = { order: string[]; ties: string[] };

/** Groups the order into ranks: an id in `ties` shares the rank of the card above it. */
export function toTiers<T>(order: T[], ties: T[]): T[][] {
  const tiers: T[][] = [];
  order.forEach((id, pos) => {
    if (pos > 0 && ties.includes(id)) tiers[tiers.length - 1].push(id);
    else tiers.push([id]);
  });
  return tiers;
}

/** Moves `id` by `delta` places; a moved card leaves its tie. Null when it cannot move. */
export function moveItem(value: RankingValue, id: string, delta: number): RankingValue | null {
  const from = value.order.indexOf(id);
  const to = from + delta;
  if (from < 0 || delta === 0 || to < 0 || to >= value.order.length) return null;
  const order = value.order.filter((x) => x !== id);
  order.splice(to, 0, id);
  return { order, ties: value.ties.filter((t) => t !== id) };
}

/** Ties `id` with the card above it, or unties it. The top card cannot be tied. */
export function toggleTie(value: RankingValue, id: string): RankingValue | null {
  if (value.order.indexOf(id) <= 0) return null;
  return { order: value.order, ties: value.ties.includes(id) ? value.ties.filter((t) => t !== id) : [...value.ties, id] };
}
