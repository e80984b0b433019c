import { describe, expect, it } from 'vitest';
import { parseJsonl } from './jsonl';
import { RankingExampleSchema, SftExampleSchema, validateRanking } from './schemas';

describe('JSONL readers', () => {
  it('parses records and skips blank lines', () => {
    const text = '{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}\n\n';
    expect(parseJsonl(text, SftExampleSchema, 'd.jsonl')).toHaveLength(1);
  });

  it('names the file, line and field of a bad record', () => {
    expect(() => parseJsonl('{"messages": [}\n', SftExampleSchema, 'd.jsonl')).toThrow(/^d\.jsonl:1: invalid JSON/);
    expect(() =>
      parseJsonl('\n{"messages":[{"role":"bot","content":"a"}]}', SftExampleSchema, 'd.jsonl'),
    ).toThrow(/^d\.jsonl:2: messages\.0\.role:/);
    expect(() => parseJsonl('{"messages":[{"role":"user","content":"a"}]}', SftExampleSchema, 'd.jsonl')).toThrow(
      /d\.jsonl:1: .*assistant turn/,
    );
    expect(() => parseJsonl('{"text":"x","extra":1}', SftExampleSchema, 'd.jsonl')).toThrow(/d\.jsonl:1/);
  });

  it('rejects rankings with fewer than two tiers or bad indices, naming the line or the item', () => {
    const one = '{"context":[{"role":"user","content":"q"}],"completions":["a","b"],"tiers":[[0,1]]}';
    expect(() => parseJsonl(`${one.replace('[[0,1]]', '[[0],[1]]')}\n${one}`, RankingExampleSchema, 'r.jsonl')).toThrow(
      /^r\.jsonl:2: tiers: 1 tier\(s\); at least 2/,
    );
    expect(() => parseJsonl(one.replace('[[0,1]]', '[[0],[2]]'), RankingExampleSchema, 'r.jsonl')).toThrow(/completion 2 but has only 2/);
    expect(() =>
      validateRanking({ id: 'x9', context: [{ role: 'user', content: 'q' }], completions: ['a', 'b'], tiers: [[0, 1]] }, 4),
    ).toThrow('ranking item 4 (id x9) has 1 tier(s)');
  });
});
