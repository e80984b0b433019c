import { describe, expect, it } from 'vitest';
import { goldPairAgreement } from './gold-accuracy';

describe('goldPairAgreement', () => {
  it('counts the gold order’s non-tied pairs, and the labeler’s ties as wrong', () => {
    // gold ties 0 and 2: pairs (1,0) (1,2) (1,3) (0,3) (2,3); the labeler ties 1 and 0 → 4 of 5
    expect(goldPairAgreement([[1, 0], [2], [3]], [[1], [0, 2], [3]])).toEqual({ pairs: 5, correct: 4 });
    expect(goldPairAgreement([[3], [2], [1], [0]], [[0], [1], [2], [3]])).toEqual({ pairs: 6, correct: 0 });
  });

  it('leaves out completions missing from either ranking, and an all-tied gold order has no pairs', () => {
    expect(goldPairAgreement([[0], [1]], [[0], [1], [2]])).toEqual({ pairs: 1, correct: 1 });
    expect(goldPairAgreement([[0], [1], [2]], [[0, 1, 2]])).toEqual({ pairs: 0, correct: 0 });
  });
});
