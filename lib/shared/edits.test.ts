import { describe, expect, it } from 'vitest';
import { canonicalText, isEdit, TRIMMED_CODE_POINTS } from './edits';

describe('edits of a suggestion', () => {
  it('line endings, surrounding whitespace and Unicode composition are not edits', () => {
    expect(isEdit('Hello\r\nworld  ', '\u00a0Hello\nworld')).toBe(false);
    expect(isEdit('caf\u00e9', 'cafe\u0301')).toBe(false); // é precomposed vs e + combining accent
    expect(isEdit('Hello world.', 'Hello world')).toBe(true);
    expect(canonicalText('  a\rb\n')).toBe('a\nb');
  });

  it('lists exactly the code points trim() removes', () => {
    const trimmed = [];
    for (let c = 0; c < 0x10000; c++) if (String.fromCharCode(c).trim() === '') trimmed.push(c);
    expect(trimmed).toEqual(TRIMMED_CODE_POINTS);
  });
});
