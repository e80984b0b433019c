import { describe, expect, it } from 'vitest';
import { corpusPrompts, flawedCompletions } from './corpus';

describe('the corpus', () => {
  it('gives every first completion set of the bench four different answers (an import refuses repeats)', () => {
    const prompts = corpusPrompts(1074);
    prompts.forEach((p, i) => {
      const set = flawedCompletions(p.text, 4, 1000 + i);
      expect(new Set(set).size, `${p.text}: ${JSON.stringify(set)}`).toBe(4);
    });
  });
});
