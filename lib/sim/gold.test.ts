import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../shared/labeling';
import { defaultGold, goldPairAccuracy, rankByGold } from './gold';
import { corpusPrompts, flawedCompletions, goldAnswer } from './corpus';

describe('the default gold preference', () => {
  it('scores the careful answer at least as high as every flawed kind of answer', () => {
    for (const p of corpusPrompts(12)) {
      const best = defaultGold(p.text, goldAnswer(p.text));
      for (const c of flawedCompletions(p.text, 9, 3)) if (c !== goldAnswer(p.text)) expect(defaultGold(p.text, c), c).toBeLessThanOrEqual(best);
    }
  });

  it('ranks by gold without noise, ties sharing a tier', () => {
    const tiers = rankByGold('What is a cat?', ['A cat is a small pet.', 'Yes.', 'A cat is a small pet.', ''], defaultGold, 0, mulberry32(1));
    expect(tiers).toEqual([[0, 2], [1], [3]]);
  });

  it('flips about noise/2 of the pairs with noise', () => {
    const rand = mulberry32(7);
    const items = corpusPrompts(30).map((p, i) => {
      const completions = flawedCompletions(p.text, 4, i);
      const tiers = rankByGold(p.text, completions, defaultGold, 0.4, rand);
      const scores = completions.map((_, c) => -tiers.findIndex((t) => t.includes(c)));
      return { prompt: p.text, completions, scores };
    });
    const { accuracy } = goldPairAccuracy(items);
    expect(accuracy).toBeGreaterThan(0.65);
    expect(accuracy).toBeLessThan(0.95);
  });

  it('answers about the subject the prompt names, as whole words', () => {
    expect(goldAnswer('What is rice?')).toBe('Rice is a small grain.'); // not "ice"
    expect(goldAnswer('Describe a pencil.')).toBe('A pencil is a tool to draw.'); // not "a pen"
    expect(goldAnswer('Tell me about a carrot.')).toBe('A carrot is an orange root.'); // not "a car"
    for (const p of corpusPrompts()) expect(defaultGold(p.text, goldAnswer(p.text)), p.text).toBeCloseTo(2.5);
  });

  it('holds out whole subjects as val', () => {
    const all = corpusPrompts();
    const val = all.filter((p) => p.split === 'val');
    expect(val.length / all.length).toBeCloseTo(0.2, 1);
    expect(new Set(val.map((p) => p.subject)).size * 6).toBe(val.length);
    // a prefix of 537 is the first three templates of every subject (the benchmark's prompts)
    expect(new Set(corpusPrompts(537).map((p) => p.text.replace(p.subject, '{s}')))).toEqual(new Set(['What is {s}?', 'Tell me about {s}.', 'Describe {s}.']));
  });
});
