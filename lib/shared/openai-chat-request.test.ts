import { describe, expect, it } from 'vitest';
import { hasUnstorableCharacter, parseChatCompletionRequest } from './openai-chat-request';

const messages = [{ role: 'user', content: 'Hi' }];
const problem = (raw: unknown) => {
  const r = parseChatCompletionRequest(raw);
  if (r.ok) throw new Error('expected a refusal');
  return r.problem;
};

describe('POST /v1/chat/completions body', () => {
  it("accepts what OpenAI's SDKs send, stop as a string or up to 4 strings, and stream_options", () => {
    const r = parseChatCompletionRequest({
      model: 'demo',
      messages: [{ role: 'developer', content: [{ type: 'text', text: 'Be brief.' }] }, ...messages],
      stop: ['\n\n', 'END', 'a', 'b'],
      stream: true,
      stream_options: { include_usage: true },
      seed: 7,
      user: 'someone',
      metadata: { run: '1' },
      presence_penalty: 0,
      frequency_penalty: 0,
      logprobs: false,
      response_format: { type: 'text' },
      n: 1,
    });
    expect(r.ok).toBe(true);
    expect(parseChatCompletionRequest({ messages, stop: 'END' }).ok).toBe(true);
    expect(parseChatCompletionRequest({ messages, stop: null, temperature: null }).ok).toBe(true);
  });

  it('refuses unknown keys as OpenAI does, and names unsupported OpenAI parameters', () => {
    expect(problem({ messages, temprature: 0.5 })).toEqual({ message: 'Unrecognized request argument supplied: temprature', param: 'temprature' });
    expect(problem({ messages, tools: [] })).toEqual({ message: "tools is not supported by Hone's chat completions.", param: 'tools' });
    expect(problem({ messages: [{ role: 'user', content: 'x', colour: 1 }] }).param).toBe('messages[0].colour');
    expect(problem({ messages, stream_options: { include_usage: true, extra: 1 } }).param).toBe('stream_options.extra');
    expect(problem({ messages, presence_penalty: 0.5 })).toMatchObject({ param: 'presence_penalty' });
    expect(problem({ messages, n: 2 }).message).toContain('n must be 1');
    // A long unknown key is quoted short.
    expect(problem({ messages, ['k'.repeat(10_000)]: 1 }).message.length).toBeLessThan(100);
  });

  it('refuses bad stop values', () => {
    expect(problem({ messages, stop: ['a', 'b', 'c', 'd', 'e'] }).param).toBe('stop');
    expect(problem({ messages, stop: '' }).param).toBe('stop');
    expect(problem({ messages, stop: [''] }).param).toBe('stop[0]');
  });

  it('refuses a NUL byte or a lone surrogate in model, content, text parts, name or stop, naming the field', () => {
    expect(problem({ model: 'demo\u0000', messages })).toMatchObject({ param: 'model' });
    expect(problem({ messages: [{ role: 'user', content: 'a\u0000b' }] })).toMatchObject({ param: 'messages[0].content' });
    expect(problem({ messages: [{ role: 'user', content: 'half \ud83d pair' }] }).message).toContain('surrogate');
    expect(problem({ messages: [{ role: 'user', content: [{ type: 'text', text: '\udc00' }] }] }).param).toBe('messages[0].content[0].text');
    expect(problem({ messages: [{ role: 'user', content: 'x', name: '\u0000' }] }).param).toBe('messages[0].name');
    expect(problem({ messages, stop: ['ok', '\u0000'] }).param).toBe('stop[1]');
    expect(problem({ messages, ['bad\u0000key']: 1 }).message).not.toContain('\u0000');
  });

  it('tells paired surrogates (emoji) from lone ones', () => {
    expect(hasUnstorableCharacter('😀 fine')).toBe(false);
    expect(hasUnstorableCharacter('\ud83d')).toBe(true);
    expect(hasUnstorableCharacter('\ude00x')).toBe(true);
    expect(hasUnstorableCharacter('x\u0000')).toBe(true);
  });
});
