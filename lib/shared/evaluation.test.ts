import { describe, expect, it } from 'vitest';
import { EvaluationResultSchema, findEvaluation, type EvaluationResult } from './evaluation';

const RESULT: EvaluationResult = {
  rmAccuracy: 0.75,
  rmPairs: 12,
  meanScoreCandidate: 0.4,
  meanScorePrevious: -0.1,
  kl: 1.5,
  prompts: 4,
  previous: 'this round’s SFT model',
  passed: true,
  reasons: [],
  samples: [{ prompt: 'hi', previous: 'a', candidate: 'b', previousScore: -0.2, candidateScore: 0.3 }],
};

/** What a Json column gives back: JSON text parsed (NaN and ±Infinity become null). */
const stored = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe('EvaluationResult', () => {
  it('parses a stored row back to what was written', () => {
    expect(EvaluationResultSchema.parse(stored(RESULT))).toEqual(RESULT);
  });

  it('reads a non-finite estimate, stored as null, back as NaN (still a failed number, not a missing verdict)', () => {
    const diverged = { ...RESULT, kl: Number.NaN, meanScoreCandidate: Number.POSITIVE_INFINITY, passed: false, reasons: ['the KL estimate is not a finite number'] };
    const back = EvaluationResultSchema.parse(stored(diverged));
    expect(back.kl).toBeNaN();
    expect(back.meanScoreCandidate).toBeNaN();
    expect(back.passed).toBe(false);
    expect(EvaluationResultSchema.parse(stored({ ...RESULT, rmAccuracy: null })).rmAccuracy).toBeNull();
  });

  it('finds the verdict among the EVALUATE job rows and ignores the progress rows', () => {
    const rows = [{ values: { rm_accuracy: 0.75 } }, { values: {} }, { values: stored(RESULT) }];
    expect(findEvaluation(rows)).toEqual(RESULT);
    expect(findEvaluation(rows.slice(0, 2))).toBeNull();
    expect(findEvaluation([{ values: { ...RESULT, passed: undefined } }])).toBeNull();
    expect(findEvaluation([])).toBeNull();
  });
});
