import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical';
import { filterFromSearchParams } from './filter';

describe('canonical JSON', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null }, e: undefined })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson(new Date('2026-01-01T00:00:00Z'))).toBe('"2026-01-01T00:00:00.000Z"');
  });
});

describe('export filters from query parameters', () => {
  it('reads repeated and comma-separated labelers and normalises the split', () => {
    const f = filterFromSearchParams(new URLSearchParams('projectId=p&labeler=a&labelerIds=b,c&split=val&minAgreement=0.2'));
    expect(f).toEqual({ projectId: 'p', labelerIds: ['a', 'b', 'c'], split: 'VAL', minAgreement: 0.2 });
  });

  it('rejects impossible values with messages naming the field', () => {
    const bad = (qs: string) => {
      try {
        filterFromSearchParams(new URLSearchParams(qs));
        return 'accepted';
      } catch (e) {
        return String((e as Error).message);
      }
    };
    expect(bad('projectId=p&from=2026-02-01&to=2026-01-01')).toMatch(/before the range starts/);
    expect(bad('projectId=p&minAgreement=3')).toMatch(/between -1 and 1/);
    expect(bad('projectId=p&split=holdout')).toMatch(/train, val, test/);
    expect(bad('projectId=p&from=yesterday')).toMatch(/ISO-8601/);
    expect(bad('projectId=p&colour=red')).toMatch(/Unknown parameter "colour"/);
    expect(bad('split=train')).toMatch(/projectId/);
  });
});
