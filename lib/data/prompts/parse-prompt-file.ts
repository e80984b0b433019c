// Parses prompt import files (JSONL or CSV) into rows, or fails naming each bad line and field.
// Pure: the import use case decides what to store. A file with any error imports nothing.
import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { AppError } from '../errors';
import { LIMITS } from '../../shared/labeling';
import { quote, unsafeTextReason } from '../../shared/text-safety';

export type ImportFormat = 'jsonl' | 'csv';
export type Split = 'TRAIN' | 'VAL' | 'TEST';
export type PromptRow = { line: number; text: string; textHash: string; split: Split; tags: string[] };
export type ImportIssue = { line: number; field: string; message: string };

const MAX_ISSUES = 50;

/** Whitespace-normalised NFC text, the form duplicates are judged on. */
export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

export function textHash(text: string): string {
  return createHash('sha256').update(normaliseText(text).replace(/\s+/g, ' ').toLowerCase()).digest('hex');
}

export function detectFormat(filename: string | undefined, contentType: string | undefined, body: string): ImportFormat {
  const name = (filename ?? '').toLowerCase();
  if (name.endsWith('.csv') || (contentType ?? '').includes('csv')) return 'csv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson') || name.endsWith('.json') || (contentType ?? '').includes('json')) return 'jsonl';
  return body.trimStart().startsWith('{') ? 'jsonl' : 'csv';
}

export function issuesError(what: string, unsorted: ImportIssue[]): AppError {
  const issues = [...unsorted].sort((a, b) => a.line - b.line);
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return new AppError('INVALID_INPUT', `${what}: line ${first.line}, field "${first.field}": ${first.message}${more}. Nothing was imported.`, { issues });
}

export function parseSplit(value: unknown): Split | string {
  if (value === undefined || value === null || value === '') return 'TRAIN';
  if (typeof value !== 'string') return 'must be one of train, val, test';
  const unsafe = unsafeTextReason(value);
  if (unsafe) return unsafe;
  const v = value.trim().toLowerCase();
  if (v === 'train') return 'TRAIN';
  if (v === 'val' || v === 'valid' || v === 'validation') return 'VAL';
  if (v === 'test') return 'TEST';
  return `"${quote(value)}" is not a split; use train, val or test`;
}

export function parseTags(value: unknown): string[] | string {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[;|]/) : null;
  if (!list) return 'must be a list of strings or a ";"-separated string';
  const tags: string[] = [];
  for (const t of list) {
    if (typeof t !== 'string') return 'every tag must be a string';
    const unsafe = unsafeTextReason(t);
    if (unsafe) return `a tag ${unsafe}`;
    const s = t.trim();
    if (!s) continue;
    if (s.length > LIMITS.tagChars) return `tag "${s.slice(0, 20)}…" is longer than ${LIMITS.tagChars} characters`;
    if (!tags.includes(s)) tags.push(s);
  }
  if (tags.length > LIMITS.tagsPerPrompt) return `at most ${LIMITS.tagsPerPrompt} tags`;
  return tags;
}

export function checkText(value: unknown, field: string, max: number): string | { error: string } {
  if (value === undefined || value === null) return { error: `is missing` };
  if (typeof value !== 'string') return { error: `must be a string` };
  // Postgres stores no NUL, and a lone surrogate is not valid UTF-8.
  const unsafe = unsafeTextReason(value);
  if (unsafe) return { error: unsafe };
  const text = normaliseText(value);
  if (!text) return { error: `is empty` };
  if (text.length > max) return { error: `is ${text.length} characters; the limit is ${max}` };
  void field;
  return text;
}

/** Splits JSONL into (line number, parsed object) pairs; blank lines are ignored. */
export function jsonlObjects(body: string, issues: ImportIssue[]): { line: number; obj: Record<string, unknown> }[] {
  const out: { line: number; obj: Record<string, unknown> }[] = [];
  const lines = body.replace(/^\uFEFF/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (!raw) continue;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (e) {
      issues.push({ line: i + 1, field: '(line)', message: `not valid JSON (${quote((e as Error).message)})` });
      continue;
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
      issues.push({ line: i + 1, field: '(line)', message: 'must be a JSON object' });
      continue;
    }
    out.push({ line: i + 1, obj: obj as Record<string, unknown> });
  }
  return out;
}

export function parsePromptFile(body: string, format: ImportFormat): PromptRow[] {
  if (Buffer.byteLength(body) > LIMITS.importBytes) throw new AppError('INVALID_INPUT', `The file is larger than ${LIMITS.importBytes / 1024 / 1024} MiB. Nothing was imported.`);
  const issues: ImportIssue[] = [];
  const records: { line: number; obj: Record<string, unknown> }[] = [];
  if (format === 'jsonl') {
    records.push(...jsonlObjects(body, issues));
  } else {
    let rows: Record<string, string>[];
    try {
      rows = parseCsv(body.replace(/^\uFEFF/, ''), { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, relax_column_count: false, info: true }) as unknown as Record<string, string>[];
    } catch (e) {
      const err = e as Error & { lines?: number };
      throw issuesError('The CSV file could not be read', [{ line: err.lines ?? 1, field: '(csv)', message: err.message }]);
    }
    const withInfo = rows as unknown as { record: Record<string, string>; info: { lines: number } }[];
    if (withInfo.length && !('text' in withInfo[0].record)) {
      throw issuesError('The CSV file has no "text" column', [{ line: 1, field: 'text', message: 'the header row must name a "text" column (optional: split, tags)' }]);
    }
    for (const r of withInfo) records.push({ line: r.info.lines, obj: r.record });
  }
  const rows: PromptRow[] = [];
  for (const { line, obj } of records) {
    if (issues.length >= MAX_ISSUES) break;
    const rawText = obj.text ?? obj.prompt;
    const text = checkText(rawText, 'text', LIMITS.promptChars);
    if (typeof text !== 'string') {
      issues.push({ line, field: 'text', message: text.error });
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
    rows.push({ line, text, textHash: textHash(text), split, tags });
  }
  if (issues.length) throw issuesError('The file has errors', issues);
  if (rows.length === 0) throw issuesError('The file has no prompts', [{ line: 1, field: 'text', message: 'no rows found' }]);
  if (rows.length > LIMITS.importRows) throw new AppError('INVALID_INPUT', `The file has ${rows.length} rows; the limit is ${LIMITS.importRows}. Nothing was imported.`);
  return rows;
}
