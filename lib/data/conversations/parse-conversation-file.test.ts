import { describe, expect, it } from 'vitest';
import { parseConversationFile } from './parse-conversation-file';

const line = (messages: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ messages, ...extra });
const issues = (body: string) => {
  try {
    parseConversationFile(body);
  } catch (e) {
    return (e as { details?: { issues: { line: number; field: string; message: string }[] } }).details?.issues ?? (e as Error).message;
  }
  throw new Error('parsed');
};

describe('parseConversationFile', () => {
  it('reads turns, the model that wrote an assistant turn, split and tags', () => {
    const rows = parseConversationFile(
      [line([{ role: 'user', content: 'Hi' }, { role: 'Assistant', content: 'Hello!', model: 'gpt-x' }, { role: 'user', content: 'Bye' }, { role: 'assistant', content: 'See you.' }], { split: 'val', tags: ['a'] }), ''].join('\n'),
    );
    expect(rows).toEqual([
      {
        line: 1,
        split: 'VAL',
        tags: ['a'],
        turns: [
          { role: 'USER', text: 'Hi', model: null },
          { role: 'ASSISTANT', text: 'Hello!', model: 'gpt-x' },
          { role: 'USER', text: 'Bye', model: null },
          { role: 'ASSISTANT', text: 'See you.', model: null },
        ],
      },
    ]);
  });

  it('names the line and the message of every problem, in words', () => {
    const body = [
      line([{ role: 'assistant', content: 'Hello' }]),
      line([{ role: 'user', content: 'Hi' }, { role: 'assistant', content: '  ' }]),
      line([{ role: 'user', content: 'Hi', model: 'm' }, { role: 'assistant', content: 'x' }]),
      line([{ role: 'user', content: 'Hi' }]),
      line([{ role: 'system', content: 'Hi' }]),
      '{"messages": 3}',
      'not json',
    ].join('\n');
    expect(issues(body)).toEqual([
      { line: 1, field: 'messages', message: 'message 1 must be from the user: a conversation starts with a user turn' },
      { line: 2, field: 'messages', message: 'the content of message 2 is empty' },
      { line: 3, field: 'messages', message: 'message 1 is a user turn; only assistant turns name the model that wrote them' },
      { line: 4, field: 'messages', message: 'has no assistant turn; a conversation needs at least one answer' },
      { line: 5, field: 'messages', message: 'message 1 has role "system"; use user or assistant' },
      { line: 6, field: 'messages', message: 'must be a non-empty list of {role, content} turns' },
      expect.objectContaining({ line: 7, field: '(line)' }),
    ]);
    expect(issues('\n\n')).toMatch(/holds no conversation/);
  });
});
