import { describe, expect, it } from 'vitest';
import { arenaSwapped, arenaWinner, COMPLETION_FLAGS, displayOrder, kindOrder, tiersProblem, tiersToPairs } from './labeling';

describe('tiersToPairs', () => {
  it('gives every cross-tier pair with margin = tier distance and no pair for ties', () => {
    expect(tiersToPairs([[2], [0, 3], [1]])).toEqual([
      { chosen: 2, rejected: 0, margin: 1 },
      { chosen: 2, rejected: 3, margin: 1 },
      { chosen: 2, rejected: 1, margin: 2 },
      { chosen: 0, rejected: 1, margin: 1 },
      { chosen: 3, rejected: 1, margin: 1 },
    ]);
  });
  it('a full order of K gives C(K,2) pairs; one tier gives none', () => {
    expect(tiersToPairs([[0], [1], [2], [3], [4]])).toHaveLength(10);
    expect(tiersToPairs([[0, 1, 2, 3]])).toEqual([]);
  });
});

describe('tiersProblem', () => {
  it('accepts a complete ranking with ties', () => expect(tiersProblem([[1, 2], [0], [3]], 4)).toBeNull());
  it('names an omitted completion', () => expect(tiersProblem([[1], [0]], 3)).toMatch(/omits completion 2/));
  it('names a repeated completion', () => expect(tiersProblem([[1], [1], [0]], 2)).toMatch(/Completion 1 appears twice/));
  it('names an out-of-range index', () => expect(tiersProblem([[0], [5]], 2)).toMatch(/names completion 5/));
});

describe('displayOrder', () => {
  it('is a reproducible permutation that differs by seed and salt', () => {
    const a = displayOrder(9, 42);
    expect([...a].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(displayOrder(9, 42)).toEqual(a);
    const orders = new Set([1, 2, 3, 4, 5, 6].map((s) => displayOrder(9, s).join()));
    expect(orders.size).toBeGreaterThan(1);
    expect(displayOrder(9, 42, 'user-a').join()).not.toBe(displayOrder(9, 42, 'user-b').join());
  });
});

describe('kindOrder', () => {
  it('drops weight-0 kinds and follows the weights', () => {
    expect(kindOrder({ DEMONSTRATION: 0, DIALOGUE: 0, RANKING: 2 })).toEqual(['RANKING']);
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const first: Record<string, number> = {};
    for (let i = 0; i < 4000; i++) {
      const k = kindOrder({ DEMONSTRATION: 1, DIALOGUE: 1, RANKING: 2 }, rand)[0];
      first[k] = (first[k] ?? 0) + 1;
    }
    expect(first.RANKING / 4000).toBeGreaterThan(0.45);
    expect(first.RANKING / 4000).toBeLessThan(0.55);
  });
});

it('lists InstructGPT-style flags with unique ids', () => {
  expect(new Set(COMPLETION_FLAGS.map((f) => f.id)).size).toBe(COMPLETION_FLAGS.length);
  expect(COMPLETION_FLAGS.map((f) => f.id)).toContain('hallucination');
});

describe('arena sides', () => {
  it('maps the side a labeler chose to the battle order, swapped or not', () => {
    expect(arenaWinner('left', false)).toBe('MODEL_A');
    expect(arenaWinner('right', false)).toBe('MODEL_B');
    expect(arenaWinner('left', true)).toBe('MODEL_B');
    expect(arenaWinner('right', true)).toBe('MODEL_A');
    expect(arenaWinner('tie', true)).toBe('TIE');
    expect(arenaWinner('both_bad', false)).toBe('BOTH_BAD');
  });

  it('swaps per labeler, stably, about half the time', () => {
    const users = Array.from({ length: 400 }, (_, i) => `user-${i}`);
    const swaps = users.filter((u) => arenaSwapped(12345, u)).length;
    expect(swaps).toBeGreaterThan(150);
    expect(swaps).toBeLessThan(250);
    expect(users.map((u) => arenaSwapped(12345, u))).toEqual(users.map((u) => arenaSwapped(12345, u)));
  });
});
