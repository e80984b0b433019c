// Parses conversation import files (JSONL, one dialogue per line):
//   {"messages": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "...", "model": "gpt2-sft"}, ...], "split"?: "train", "tags"?: [...]}
// An assistant message with a model name was written by that model (its turns can be picked for
// in-context comparisons); one without was written by a person. Pure; every problem names its
// line and message in words.
import { AppError } from '../errors';
import { LIMITS } from '../../shared/labeling';
import { unsafeTextReason } from '../../shared/text-safety';
import { checkText, issuesError, jsonlObjects, parseSplit, parseTags, type ImportIssue, type Split } from '../prompts/parse-prompt-file';

export type ImportedTurn = { role: 'USER' | 'ASSISTANT'; text: string; model: string | null };
export type ConversationRow = { line: number; turns: ImportedTurn[]; split: Split; tags: string[] };

const MAX_TURNS = 200;

function parseTurn(raw: unknown, n: number, expected: 'USER' | 'ASSISTANT'): ImportedTurn | string {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return `message ${n} must be an object with a role and a content`;
  const m = raw as Record<string, unknown>;
  const role = typeof m.role === 'string' ? m.role.trim().toLowerCase() : m.role;
  // the role is quoted only when it is text: a nested value (a 5,000-deep array) is not echoed back
  if (role !== 'user' && role !== 'assistant') return `message ${n} has ${typeof m.role === 'string' ? `role ${JSON.stringify(m.role.slice(0, 40))}` : m.role === undefined ? 'no role' : 'a role that is not text'}; use user or assistant`;
  const want = expected === 'USER' ? 'user' : 'assistant';
  if (role !== want) return n === 1 ? 'message 1 must be from the user: a conversation starts with a user turn' : `message ${n} is a second ${role} turn in a row; user and assistant turns alternate`;
  const text = checkText(m.content ?? m.text, 'content', LIMITS.messageChars);
  if (typeof text !== 'string') return `the content of message ${n} ${text.error}`;
  let model: string | null = null;
  if (m.model !== undefined && m.model !== null && m.model !== '') {
    if (role === 'user') return `message ${n} is a user turn; only assistant turns name the model that wrote them`;
    if (typeof m.model !== 'string' || !m.model.trim()) return `the model of message ${n} must be a non-empty string`;
    const unsafe = unsafeTextReason(m.model);
    if (unsafe) return `the model of message ${n} ${unsafe}`;
    if (m.model.length > 200) return `the model of message ${n} is longer than 200 characters`;
    model = m.model.trim();
  }
  return { role: expected, text, model };
}

export function parseConversationFile(body: string): ConversationRow[] {
  if (Buffer.byteLength(body) > LIMITS.importBytes) throw new AppError('INVALID_INPUT', `The file is larger than ${LIMITS.importBytes / 1024 / 1024} MiB. Nothing was imported.`);
  const issues: ImportIssue[] = [];
  const rows: ConversationRow[] = [];
  for (const { line, obj } of jsonlObjects(body, issues)) {
    if (issues.length >= 50) break;
    const list = obj.messages;
    if (!Array.isArray(list) || list.length === 0) {
      issues.push({ line, field: 'messages', message: list === undefined ? 'is missing (a list of {role, content} turns)' : 'must be a non-empty list of {role, content} turns' });
      continue;
    }
    if (list.length > MAX_TURNS) {
      issues.push({ line, field: 'messages', message: `has ${list.length} turns; the limit is ${MAX_TURNS}` });
      continue;
    }
    const turns: ImportedTurn[] = [];
    let problem: string | null = null;
    for (let i = 0; i < list.length && !problem; i++) {
      const t = parseTurn(list[i], i + 1, i % 2 === 0 ? 'USER' : 'ASSISTANT');
      if (typeof t === 'string') problem = t;
      else turns.push(t);
    }
    if (problem) {
      issues.push({ line, field: 'messages', message: problem });
      continue;
    }
    if (!turns.some((t) => t.role === 'ASSISTANT')) {
      issues.push({ line, field: 'messages', message: 'has no assistant turn; a conversation needs at least one answer' });
      continue;
    }
    const split = parseSplit(obj.split);
    if (split !== 'TRAIN' && split !== 'VAL' && split !== 'TEST') {
      issues.push({ line, field: 'split', message: split });
      continue;
    }
    const tags = parseTags(obj.tags);
    if (typeof tags === 'string') {
      issues.push({ line, field: 'tags', message: tags });
      continue;
    }
    rows.push({ line, turns, split, tags });
  }
  if (issues.length) throw issuesError('The conversation file has problems', issues);
  if (!rows.length) throw new AppError('INVALID_INPUT', 'The file holds no conversation: one JSON object per line, each with a "messages" list. Nothing was imported.');
  if (rows.length > LIMITS.importRows) throw new AppError('INVALID_INPUT', `The file holds ${rows.length} conversations; the limit is ${LIMITS.importRows} per import. Nothing was imported.`);
  return rows;
}
