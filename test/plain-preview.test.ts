// One-line previews of markdown without its markup (app/_components/plain-preview.ts).
import { describe, expect, it } from 'vitest';
import { plainPreview } from '@/app/_components/plain-preview';

describe('plainPreview', () => {
  it('drops markup and keeps the words', () => {
    expect(plainPreview('# Title\n\n**Fix** the `bug` in [this file](http://x) ~~now~~')).toBe('Title Fix the bug in this file now');
    expect(plainPreview('- one\n- two\n\n| a | b |\n|---|---|')).toBe('one two a b');
    expect(plainPreview('```ts\nconst x = 1;\n```')).toBe('const x = 1;');
    expect(plainPreview('snake_case_name stays')).toBe('snake_case_name stays');
  });
  it('cuts long text with an ellipsis', () => {
    expect(plainPreview('word '.repeat(50), 20)).toBe('word word word word…');
  });
});
