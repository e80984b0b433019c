// Import files: text Postgres cannot store is refused per row, naming the line and field, and a
// completion set whose completions repeat is refused (identical texts cannot be ranked).
import { describe, expect, it } from 'vitest';
import { parsePromptFile } from './parse-prompt-file';
import { parseCompletionFile } from './parse-completion-file';

const set = (over: Record<string, unknown>) => JSON.stringify({ prompt: 'Why?', completions: ['a', 'b', 'c', 'd'], model: 'gpt2', ...over });

describe('import files: NUL and lone surrogates', () => {
  it('refuses them in prompt text, split and tags of JSONL and CSV', () => {
    expect(() => parsePromptFile('{"text":"ok"}\n{"text":"bad\\u0000"}', 'jsonl')).toThrow(/line 2, field "text": contains a NUL character \(\\u0000\) at position 3/);
    expect(() => parsePromptFile('text,split\n"a\u0000b",train\n', 'csv')).toThrow(/line 2, field "text": contains a NUL character/);
    expect(() => parsePromptFile('{"text":"x\\ud800"}', 'jsonl')).toThrow(/field "text": contains a lone UTF-16 surrogate/);
    expect(() => parsePromptFile('{"text":"x","tags":["t\\u0000"]}', 'jsonl')).toThrow(/field "tags": a tag contains a NUL character/);
    expect(() => parsePromptFile('{"text":"x","split":"tr\\u0000ain"}', 'jsonl')).toThrow(/field "split": contains a NUL character/);
  });

  it('refuses them in completion-set prompts, completions and model names', () => {
    expect(() => parseCompletionFile(set({ prompt: 'p\u0000' }), 4)).toThrow(/line 1, field "prompt": contains a NUL/);
    expect(() => parseCompletionFile(set({ completions: ['a', 'b\u0000', 'c', 'd'] }), 4)).toThrow(/field "completions\[1\]": contains a NUL/);
    expect(() => parseCompletionFile(set({ completions: ['a', 'b', 'c', 'd\ud800'] }), 4)).toThrow(/field "completions\[3\]": contains a lone UTF-16 surrogate/);
    expect(() => parseCompletionFile(set({ model: 'm\u0000' }), 4)).toThrow(/field "model": contains a NUL/);
  });

  it('quotes at most a short prefix of a bad split', () => {
    try {
      parsePromptFile(JSON.stringify({ text: 'x', split: 'y'.repeat(100_000) }), 'jsonl');
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message.length).toBeLessThan(400);
    }
  });
});

describe('import files: repeated completions', () => {
  it('refuses a set of identical completions, and one repeat among them', () => {
    expect(() => parseCompletionFile(set({ completions: ['same', 'same', 'same', 'same'] }), 4)).toThrow(/field "completions\[1\]": repeats completions\[0\]; the 4 completions of a set must all differ/);
    expect(() => parseCompletionFile(set({ completions: ['a', 'b', 'c', ' b\n'] }), 4)).toThrow(/field "completions\[3\]": repeats completions\[1\]/);
    expect(parseCompletionFile(set({}), 4)).toHaveLength(1);
  });
});
