// The agreement metrics on cases computed by hand.
import { describe, expect, it } from 'vitest';
import { kendallTauB } from './kendall';
import { AlphaAccumulator } from './krippendorff';
import { copeland } from './consensus';
import { midRanks, parseTiers, tiersFromScores } from './ranking';
import { QualityAccumulator } from './accumulate';

describe('Kendall τ-b', () => {
  it('is 1 for identical and −1 for reversed strict rankings', () => {
    expect(kendallTauB([[0], [1], [2], [3]], [[0], [1], [2], [3]])).toBe(1);
    expect(kendallTauB([[0], [1], [2], [3]], [[3], [2], [1], [0]])).toBe(-1);
  });

  it('handles ties on both sides (hand-computed)', () => {
    // a: 0 > 1 = 2 > 3 ; b: 0 = 1 > 2 > 3. Six pairs:
    // (0,1): a strict, b tied  → tie in b        (0,2): a 0>2, b 0>2 → C
    // (0,3): C   (1,2): a tied, b 1>2 → tie in a   (1,3): C   (2,3): C
    // C = 4, D = 0, n0 = 6, n1 (ties in a) = 1, n2 (ties in b) = 1 → τ_b = 4 / √(5·5) = 0.8
    expect(kendallTauB([[0], [1, 2], [3]], [[0, 1], [2], [3]])).toBeCloseTo(0.8, 12);
  });

  it('counts discordant pairs with ties (hand-computed)', () => {
    // a: 0 > 1 > 2 ; b: 2 > 0 = 1. (0,1): tie in b; (0,2): D; (1,2): D.
    // C = 0, D = 2, n0 = 3, n1 = 0, n2 = 1 → τ_b = −2 / √(3·2) = −0.8165
    expect(kendallTauB([[0], [1], [2]], [[2], [0, 1]])).toBeCloseTo(-2 / Math.sqrt(6), 12);
  });

  it('is undefined (null) when one ranking ties everything', () => {
    expect(kendallTauB([[0, 1, 2]], [[0], [1], [2]])).toBeNull();
  });
});

describe("Krippendorff's α", () => {
  // Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C:
  // 4 observers × 12 units, missing values allowed. Published: nominal .743, ordinal .815, interval .849.
  const A = [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null];
  const B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3];
  const C = [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null];
  const D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null];
  const acc = new AlphaAccumulator();
  for (let u = 0; u < 12; u++) acc.addUnit([A[u], B[u], C[u], D[u]].filter((v): v is number => v !== null));

  it('matches the published nominal, ordinal and interval values', () => {
    expect(acc.alpha('nominal')!).toBeCloseTo(0.743, 3);
    expect(acc.alpha('ordinal')!).toBeCloseTo(0.815, 3);
    expect(acc.alpha('interval')!).toBeCloseTo(0.849, 3);
  });

  it('is 1 for perfect agreement and null with no variation', () => {
    const perfect = new AlphaAccumulator();
    perfect.addUnit([1, 1]);
    perfect.addUnit([2, 2, 2]);
    expect(perfect.alpha('ordinal')).toBe(1);
    const flat = new AlphaAccumulator();
    flat.addUnit([1, 1]);
    expect(flat.alpha('ordinal')).toBeNull();
  });
});

describe('rankings', () => {
  it('gives tied items the mean of their positions', () => {
    expect([...midRanks([[2], [0, 1], [3]])]).toEqual([
      [2, 1],
      [0, 2.5],
      [1, 2.5],
      [3, 4],
    ]);
  });

  it('rejects malformed tiers', () => {
    expect(parseTiers([[0], [0]])).toBeNull();
    expect(parseTiers([[0], ['1']])).toBeNull();
    expect(parseTiers('x')).toBeNull();
    expect(parseTiers([[1], [], [0]])).toEqual([[1], [0]]);
  });

  it('groups equal scores into one tier', () => {
    expect(tiersFromScores(new Map([[0, 1], [1, 3], [2, 1], [3, 2]]))).toEqual([[1], [3], [0, 2]]);
  });
});

describe('Copeland consensus', () => {
  it('follows pairwise majorities and keeps exact splits as ties', () => {
    // three rankings of 0..2: 0 beats 1 (2–1), 0 beats 2 (3–0), 1 vs 2 split 1–1 with one tie.
    const c = copeland([[[0], [1], [2]], [[1], [0], [2]], [[0], [2], [1]]])!;
    // 0: wins vs 1 and 2 → 2 ; 1 vs 2: 1>2 in r1,r2; 2>1 in r3 → 1 wins (2–1) → 1: 1, 2: 0
    expect(c.tiers).toEqual([[0], [1], [2]]);
    expect(c.scores).toEqual({ '0': 2, '1': 1, '2': 0 });
    const split = copeland([[[0], [1]], [[1], [0]]])!;
    expect(split.tiers).toEqual([[0, 1]]);
  });
});

describe('QualityAccumulator', () => {
  it('computes per-labeler agreement, gold agreement and biases', () => {
    const acc = new QualityAccumulator();
    acc.addSet({
      setId: 's',
      prompt: 'p',
      lengths: [10, 20, 30, 40],
      goldTiers: [[0], [1], [2], [3]],
      judgements: [
        { userId: 'a', tiers: [[0], [1], [2], [3]], displayOrder: [0, 1, 2, 3], timeMs: 100 },
        { userId: 'b', tiers: [[0], [1], [2], [3]], displayOrder: [3, 2, 1, 0], timeMs: 300 },
        { userId: 'c', tiers: [[3], [2], [1], [0]], displayOrder: [3, 0, 1, 2], timeMs: 200 },
      ],
    });
    const r = acc.report();
    const [a, b, c] = r.labelers;
    expect(a.goldAgreement).toBe(1);
    expect(c.goldAgreement).toBe(-1);
    // LOO consensus for a = Copeland(b, c) = all tied → τ-b undefined; for c = Copeland(a, b) = 0>1>2>3 → −1
    expect(a.looAgreement).toBeNull();
    expect(c.looAgreement).toBe(-1);
    // a's first-shown item (0) won; b's (3) lost; c's (3) won
    expect(a.firstShownWins).toBe(1);
    expect(b.firstShownWins).toBe(0);
    expect(c.firstShownWins).toBe(1);
    expect(a.firstShownExpected).toBe(0.25);
    // a prefers shorter in all 6 pairs; c prefers longer in all 6
    expect(a.longerWins).toBe(0);
    expect(c.longerWins).toBe(1);
    expect(r.meanTauB).toBeCloseTo((1 - 1 - 1) / 3, 12);
    expect(r.alpha).not.toBeNull();
    expect(r.setsWithOverlap).toBe(1);
  });
});
