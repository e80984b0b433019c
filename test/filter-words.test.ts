// Snapshot filters in words (app/(research)/research/filter-words.ts), never `{}` or JSON.
import { describe, expect, it } from 'vitest';
import { EVERYTHING, filterWords } from '@/app/(research)/research/filter-words';

describe('filterWords', () => {
  it('says an empty filter is everything', () => {
    expect(filterWords({})).toBe(EVERYTHING);
    expect(filterWords({ projectId: 'p1' })).toBe(EVERYTHING);
    expect(filterWords(null)).toBe(EVERYTHING);
  });

  it('names rounds and labelers, and reads dates and thresholds', () => {
    const names = { rounds: [{ id: 'r2', number: 2 }], labelers: [{ id: 'u1', name: 'Ann' }, { id: 'u2', name: 'Bob' }] };
    expect(filterWords({ projectId: 'p', split: 'TRAIN', roundId: 'r2', labelerIds: ['u1', 'u2'], from: '2026-01-01', to: '2026-01-31T00:00:00Z' }, names)).toBe(
      'Train split · round 2 · by Ann, Bob · 2026-01-01 to 2026-01-31',
    );
    expect(filterWords({ to: '2026-02-01', minAgreement: 0.3, minGoldAgreement: 0.5 })).toBe('Until 2026-02-01 · labelers agreeing with consensus at τ ≥ 0.3 · labelers agreeing with gold at τ ≥ 0.5');
    expect(filterWords({ roundId: 'unknownround123', labelerIds: ['a', 'b', 'c', 'd', 'e'] })).toBe('Round unknownr · by a, b, c and 2 more');
  });
});
