import { describe, expect, it } from 'vitest';
import { gzipParam } from './inputs';

describe('gzipParam', () => {
  it('reads 1/true and 0/false, and refuses anything else listing the allowed values', () => {
    expect(gzipParam(new URLSearchParams(''))).toBe(false);
    expect(gzipParam(new URLSearchParams('gzip=1'))).toBe(true);
    expect(gzipParam(new URLSearchParams('gzip=true'))).toBe(true);
    expect(gzipParam(new URLSearchParams('gzip=0'))).toBe(false);
    expect(() => gzipParam(new URLSearchParams('gzip=yes'))).toThrow('gzip: "yes" is not allowed; use one of 1, true, 0, false.');
  });
});
