import { describe, expect, it } from 'vitest';
import { keepPromptEnd, promptBudget } from './prompt-budget';

describe('promptBudget', () => {
  it('training: the reply length is kept, the prompt gets the rest (or maxPromptTokens), a reply that cannot fit throws', () => {
    expect(promptBudget(64, 12, { for: 'training' })).toEqual({ promptTokens: 52, newTokens: 12 });
    expect(promptBudget(64, 12, { for: 'training', maxPromptTokens: 20 })).toEqual({ promptTokens: 20, newTokens: 12 });
    expect(promptBudget(64, 12, { for: 'training', maxPromptTokens: 100 })).toEqual({ promptTokens: 52, newTokens: 12 });
    expect(promptBudget(64, 12, { for: 'training', maxPromptTokens: null })).toEqual({ promptTokens: 52, newTokens: 12 });
    expect(promptBudget(64, 63, { for: 'training' })).toEqual({ promptTokens: 1, newTokens: 63 });
    expect(() => promptBudget(64, 64, { for: 'training' })).toThrow(/maxNewTokens \(64\) must be below the context \(64\)/);
    expect(() => promptBudget(64, 100, { for: 'training' })).toThrow(/below the context/);
  });

  it('serving: never refuses; the reply is capped so 8 prompt tokens fit, and gets at least one token', () => {
    expect(promptBudget(64, 12, { for: 'serving' })).toEqual({ promptTokens: 52, newTokens: 12 });
    expect(promptBudget(64, 56, { for: 'serving' })).toEqual({ promptTokens: 8, newTokens: 56 });
    expect(promptBudget(64, 1000, { for: 'serving' })).toEqual({ promptTokens: 8, newTokens: 56 });
    expect(promptBudget(64, 0, { for: 'serving' })).toEqual({ promptTokens: 63, newTokens: 1 });
    expect(promptBudget(8, 5, { for: 'serving' })).toEqual({ promptTokens: 7, newTokens: 1 });
  });

  it('matches the three formulas it replaces where they were defined', () => {
    for (const ctx of [9, 16, 64, 128, 1024]) {
      for (const n of [1, 2, 7, 8, ctx - 9, ctx - 8, ctx - 1, ctx, ctx + 5]) {
        if (n < 1) continue;
        const serving = promptBudget(ctx, n, { for: 'serving' });
        // worker generate(): room = max(1, ctx − min(maxNewTokens, ctx − 8))
        expect(serving.promptTokens, `generate ctx ${ctx} n ${n}`).toBe(Math.max(1, ctx - Math.min(n, ctx - 8)));
        // worker streamReply(): budget = max(1, min(maxTokens, ctx − 8)), prompt ≤ ctx − budget
        const budget = Math.max(1, Math.min(n, ctx - 8));
        expect(serving, `stream ctx ${ctx} n ${n}`).toEqual({ promptTokens: ctx - budget, newTokens: budget });
        if (n < ctx) {
          // createPpoStep: maxPrompt = min(maxPromptTokens ?? ctx − n, ctx − n)
          for (const cap of [null, 3, ctx]) {
            expect(promptBudget(ctx, n, { for: 'training', maxPromptTokens: cap }).promptTokens).toBe(Math.min(cap ?? ctx - n, ctx - n));
          }
        }
      }
    }
  });
});

describe('keepPromptEnd', () => {
  it('keeps the last tokens (the generation prompt) and leaves a prompt that fits alone', () => {
    const ids = [1, 2, 3, 4, 5];
    expect(keepPromptEnd(ids, 3)).toEqual([3, 4, 5]);
    expect(keepPromptEnd(ids, 5)).toBe(ids);
    expect(keepPromptEnd(ids, 9)).toBe(ids);
  });
});
