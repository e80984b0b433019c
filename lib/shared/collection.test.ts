// The project's collection settings: defaults, ranges, and refusals that name the field in words.
import { describe, expect, it } from 'vitest';
import { ProjectInput, ProjectPatch } from './schemas';
import { issueDetails } from './issue-messages';

describe('collection settings', () => {
  it('default to comparisons at half the model turns, suggestions on request, no gold', () => {
    const p = ProjectInput.parse({ name: 'x' });
    expect(p).toMatchObject({ contextRate: 0.5, suggestMode: 'ON_KEY', editPairWeight: 1, goldShare: 0, goldMinAccuracy: 0.75, likertMode: 'PER_RANKING' });
  });

  it('refuse a gold share over half, a rate out of range and an unknown mode, naming the field', () => {
    for (const [patch, words] of [
      [{ goldShare: 0.6 }, /gold tasks must be 0–0\.5/],
      [{ contextRate: 1.5 }, /compared in context must be 0–1/],
      [{ contextRate: -0.1 }, /compared in context must be 0–1/],
      [{ editPairWeight: 11 }, /edited suggestions must be 0–10/],
      [{ suggestMode: 'SOMETIMES' }, /Suggestions must be off, on request or live/],
      [{ likertMode: 'EVERY' }, /per ranking or per completion/],
    ] as const) {
      const r = ProjectPatch.safeParse(patch);
      expect(r.success, JSON.stringify(patch)).toBe(false);
      const issues = issueDetails(r.error!.issues);
      expect(issues[0].path).toBe(Object.keys(patch)[0]);
      expect(issues[0].message).toMatch(words);
    }
  });
});
