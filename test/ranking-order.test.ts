// The pure half of the sortable ranking widget (app/_components/ranking-order.ts): ranks from an
// order and ties, moving a card, tying it with the one above.
import { describe, expect, it } from 'vitest';
import { moveItem, toTiers, toggleTie } from '@/app/_components/ranking-order';

describe('toTiers', () => {
  it('groups tied ids with the one above them, and ignores a tie on the top card', () => {
    expect(toTiers(['a', 'b', 'c', 'd'], [])).toEqual([['a'], ['b'], ['c'], ['d']]);
    expect(toTiers(['a', 'b', 'c', 'd'], ['b', 'd'])).toEqual([['a', 'b'], ['c', 'd']]);
    expect(toTiers(['a', 'b', 'c'], ['a', 'b', 'c'])).toEqual([['a', 'b', 'c']]);
    expect(toTiers([2, 0, 1], [0])).toEqual([[2, 0], [1]]);
  });
});

describe('moveItem', () => {
  const value = { order: ['a', 'b', 'c', 'd'], ties: ['c'] };
  it('moves by any number of places and unties the moved card', () => {
    expect(moveItem(value, 'c', -2)).toEqual({ order: ['c', 'a', 'b', 'd'], ties: [] });
    expect(moveItem(value, 'a', 3)).toEqual({ order: ['b', 'c', 'd', 'a'], ties: ['c'] });
    expect(moveItem(value, 'b', 1)).toEqual({ order: ['a', 'c', 'b', 'd'], ties: ['c'] });
  });
  it('refuses moves past either end, of no distance, or of an unknown id', () => {
    expect(moveItem(value, 'a', -1)).toBeNull();
    expect(moveItem(value, 'd', 1)).toBeNull();
    expect(moveItem(value, 'b', 0)).toBeNull();
    expect(moveItem(value, 'z', 1)).toBeNull();
  });
});

describe('toggleTie', () => {
  it('ties and unties a card with the one above, never the top card', () => {
    const value = { order: ['a', 'b', 'c'], ties: [] as string[] };
    const tied = toggleTie(value, 'b')!;
    expect(tied.ties).toEqual(['b']);
    expect(toggleTie(tied, 'b')!.ties).toEqual([]);
    expect(toggleTie(value, 'a')).toBeNull();
  });
});
