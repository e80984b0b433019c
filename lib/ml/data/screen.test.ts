import { describe, expect, it } from 'vitest';
import { createTokenizer } from '../tokenizer';
import { enforceSkipLimit, promptCheck, rankingCheck, screenPrompts, screenRankings, screenSft, screenSummary, sftProblem } from './screen';
import type { RankingExample, SftExample } from './schemas';

const tok = createTokenizer('byte');
const demo = (q: string, a: string, id?: string): SftExample => ({ id, messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });
const ranking = (over: Partial<RankingExample> = {}): RankingExample => ({ context: [{ role: 'user', content: 'q?' }], completions: ['yes', 'no'], tiers: [[0], [1]], ...over });

describe('screening SFT conversations', () => {
  it('skips a prompt longer than the context (the nano bug: 70 characters, 64 tokens)', () => {
    // <bos><user> + 70 bytes + <end><assistant> = 73 tokens: no answer token within 64.
    expect(sftProblem(tok, demo('x'.repeat(70), 'fine'), 64)).toBe('too-long');
    // 60 bytes leave the answer's first tokens inside the window.
    expect(sftProblem(tok, demo('x'.repeat(55), 'fine'), 64)).toBeNull();
    // A longer setting than the prompt fixes it.
    expect(sftProblem(tok, demo('x'.repeat(70), 'fine'), 128)).toBeNull();
  });

  it('skips empty items: no answer, a blank answer, a blank prompt', () => {
    expect(sftProblem(tok, demo('q', '   '), 64)).toBe('empty');
    expect(sftProblem(tok, demo('', 'answer'), 64)).toBe('empty');
    expect(sftProblem(tok, { messages: [{ role: 'user', content: 'only a question' }] }, 64)).toBe('empty');
  });

  it('counts skipped items per reason and says so in words', () => {
    const s = screenSft(tok, [demo('x'.repeat(70), 'a', 'long1'), demo('x'.repeat(80), 'b', 'long2'), demo('q', ''), demo('hi', 'hello')], 64);
    expect(s.kept).toHaveLength(1);
    expect(s.skipped.map((x) => x.reason)).toEqual(['too-long', 'too-long', 'empty']);
    expect(s.skipped[0].id).toBe('long1');
    expect(screenSummary(s)).toBe(
      "Skipped 3 of 4 SFT items: 2 prompt longer than the model's context (64 tokens), so no answer token fits; 1 empty (no prompt text or no answer).",
    );
  });
});

describe('the skip limit', () => {
  const items = (bad: number, good: number) => [...Array.from({ length: bad }, () => demo('x'.repeat(70), 'a')), ...Array.from({ length: good }, () => demo('hi', 'there'))];

  it('lets a few bad items through and stops past the share, saying what to do', () => {
    expect(() => enforceSkipLimit(screenSft(tok, items(2, 8), 64), 0.2)).not.toThrow();
    const past = () => enforceSkipLimit(screenSft(tok, items(3, 7), 64), 0.2);
    expect(past).toThrow(/^3 of 10 SFT items \(30%\) cannot be used, more than the limit of 20%/);
    expect(past).toThrow(/start from a model with a longer context, or shorten those prompts, or raise the most the stage may skip \(its sft\.maxSkipFraction setting, now 0\.2\)\.$/);
  });

  it('stops when nothing is usable, whatever the limit', () => {
    expect(() => enforceSkipLimit(screenSft(tok, items(2, 0), 64), 1)).toThrow(/^None of the 2 SFT items can be used/);
  });
});

describe('screening rankings and prompts', () => {
  it('skips rankings without a pair, with one distinct completion or bad indices, and keeps long ones shortened', () => {
    expect(rankingCheck(tok, ranking({ tiers: [[0, 1]] }), 64).problem).toBe('no-pair');
    expect(rankingCheck(tok, ranking({ completions: ['same', ' same '] }), 64).problem).toBe('few-completions');
    expect(rankingCheck(tok, ranking({ tiers: [[0], [5]] }), 64).problem).toBe('bad-ranking');
    expect(rankingCheck(tok, ranking({ context: [{ role: 'user', content: ' ' }] }), 64).problem).toBe('empty');
    const long = rankingCheck(tok, ranking({ context: [{ role: 'user', content: 'x'.repeat(70) }] }), 64);
    expect(long).toEqual({ problem: null, cut: true });
    const s = screenRankings(tok, [ranking(), ranking({ tiers: [[0, 1]] }), ranking({ context: [{ role: 'user', content: 'x'.repeat(70) }] })], 64);
    expect(s.kept).toHaveLength(2);
    expect(s.shortened).toHaveLength(1);
    expect(screenSummary(s)).toMatch(/^Skipped 1 of 3 rankings: 1 ranking gives no preference pair \(every completion tied\)\. Shortened 1 of 3/);
  });

  it('skips empty prompts and keeps the end of long ones', () => {
    expect(promptCheck(tok, { context: [{ role: 'user', content: '' }] }, 32).problem).toBe('empty');
    expect(promptCheck(tok, { context: [{ role: 'user', content: 'x'.repeat(70) }] }, 32)).toEqual({ problem: null, cut: true });
    const s = screenPrompts(tok, [{ context: [{ role: 'user', content: 'hi' }] }, { context: [{ role: 'user', content: '  ' }] }], 32);
    expect(s.kept).toHaveLength(1);
    expect(s.skipped[0].reason).toBe('empty');
  });
});
