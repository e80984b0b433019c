import { describe, expect, it } from 'vitest';
import { cutAtStop, settledText } from './stop-sequences';

describe('stop sequences', () => {
  it('cuts before the earliest stop sequence, whichever is listed first', () => {
    expect(cutAtStop('one. two\n\nthree', ['\n\n', '.'])).toEqual({ text: 'one', stopped: true });
    expect(cutAtStop('one two', ['\n\n', 'END'])).toEqual({ text: 'one two', stopped: false });
    expect(cutAtStop('STOP at once', ['STOP'])).toEqual({ text: '', stopped: true });
    expect(cutAtStop('no stops', [])).toEqual({ text: 'no stops', stopped: false });
  });

  it('holds back a tail that may still become a stop sequence, and nothing else', () => {
    expect(settledText('Hello\n', ['\n\n'])).toEqual({ text: 'Hello', stopped: false });
    expect(settledText('Hello EN', ['END', 'x'])).toEqual({ text: 'Hello ', stopped: false });
    expect(settledText('Hello E', ['END'])).toEqual({ text: 'Hello ', stopped: false });
    expect(settledText('Hello', ['END'])).toEqual({ text: 'Hello', stopped: false });
    expect(settledText('Hello END more', ['END'])).toEqual({ text: 'Hello ', stopped: true });
    // The longest possible start counts: "abab" may still become "ababc".
    expect(settledText('xabab', ['ababc'])).toEqual({ text: 'x', stopped: false });
  });

  it('holds back a character whose bytes are not all there yet, with or without stops', () => {
    expect(settledText('caf\ufffd', [])).toEqual({ text: 'caf', stopped: false });
    expect(settledText('caf\ufffd\ufffd', ['END'])).toEqual({ text: 'caf', stopped: false });
    expect(settledText('a\ufffdb', [])).toEqual({ text: 'a\ufffdb', stopped: false });
  });
});
