import { describe, expect, it } from 'vitest';
import { detectFormat, parsePromptFile, textHash } from './parse-prompt-file';
import { parseCompletionFile } from './parse-completion-file';

describe('parsePromptFile', () => {
  it('reads JSONL with optional split and tags', () => {
    const rows = parsePromptFile('{"text":" Hello "}\n\n{"text":"Bye","split":"test","tags":["a","b"]}\n', 'jsonl');
    expect(rows.map((r) => [r.line, r.text, r.split, r.tags])).toEqual([
      [1, 'Hello', 'TRAIN', []],
      [3, 'Bye', 'TEST', ['a', 'b']],
    ]);
  });
  it('reads CSV with a header, quoted newlines and ;-separated tags', () => {
    const rows = parsePromptFile('Text,split,tags\n"Line one\nline two",val,x;y\nSecond,,\n', 'csv');
    expect(rows.map((r) => [r.text, r.split, r.tags])).toEqual([
      ['Line one\nline two', 'VAL', ['x', 'y']],
      ['Second', 'TRAIN', []],
    ]);
  });
  it('names the line and field of every problem', () => {
    expect(() => parsePromptFile('{"text":"ok"}\n{"txt":"no"}\n{"text":"a","split":"dev"}\nnot json', 'jsonl')).toThrow(/line 2, field "text": is missing \(and 2 more problems\)/);
    try {
      parsePromptFile('{"text":"ok"}\n{"txt":"no"}\n{"text":"a","split":"dev"}\nnot json', 'jsonl');
    } catch (e) {
      const issues = (e as { details: { issues: { line: number; field: string }[] } }).details.issues;
      expect(issues.map((i) => [i.line, i.field]).sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([[2, "text"], [3, "split"], [4, "(line)"]]);
    }
  });
  it('rejects empty and oversized text, a CSV without a text column, and an empty file', () => {
    expect(() => parsePromptFile('{"text":"   "}', 'jsonl')).toThrow(/field "text": is empty/);
    expect(() => parsePromptFile(JSON.stringify({ text: 'x'.repeat(20_001) }), 'jsonl')).toThrow(/limit is 20000/);
    expect(() => parsePromptFile('prompt_body\nhello', 'csv')).toThrow(/no "text" column/);
    expect(() => parsePromptFile('\n\n', 'jsonl')).toThrow(/no prompts/);
  });
  it('hashes duplicates alike regardless of case and spacing', () => {
    expect(textHash('Hello   World')).toBe(textHash(' hello world '));
  });
  it('detects the format', () => {
    expect(detectFormat('a.csv', undefined, '')).toBe('csv');
    expect(detectFormat(undefined, 'application/x-ndjson', '')).toBe('jsonl');
    expect(detectFormat(undefined, undefined, '{"text":1}')).toBe('jsonl');
  });
});

describe('parseCompletionFile', () => {
  it('reads sets of exactly K completions', () => {
    const rows = parseCompletionFile('{"prompt":"p","completions":["a","b","c","d"],"model":"m"}', 4);
    expect(rows[0]).toMatchObject({ prompt: 'p', completions: ['a', 'b', 'c', 'd'], model: 'm' });
  });
  it('names the line and field: wrong K, empty completion, missing model', () => {
    expect(() => parseCompletionFile('{"prompt":"p","completions":["a","b"],"model":"m"}', 4)).toThrow(/line 1, field "completions": has 2 completions; this project ranks K = 4/);
    expect(() => parseCompletionFile('{"prompt":"p","completions":["a","","c","d"],"model":"m"}', 4)).toThrow(/field "completions\[1\]": is empty/);
    expect(() => parseCompletionFile('{"prompt":"p","completions":["a","b","c","d"]}', 4)).toThrow(/field "model": is missing/);
  });
});
