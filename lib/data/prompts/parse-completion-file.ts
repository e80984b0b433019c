// Parses completion-set import files (JSONL, one set per line):
//   {"prompt": "...", "completions": ["...", ...K], "model": "gpt2-sft", "split"?: "train", "tags"?: [...]}
// ("sourceModel"/"source_model" are accepted for "model"). Pure; names the line and field of
// every problem.
import { AppError } from '../errors';
import { unsafeTextReason } from '../../shared/text-safety';
import { LIMITS } from '../../shared/labeling';
import { checkText, issuesError, jsonlObjects, normaliseText, parseSplit, parseTags, textHash, type ImportIssue, type Split } from './parse-prompt-file';

export type CompletionSetRow = { line: number; prompt: string; promptHash: string; completions: string[]; model: string; split: Split; tags: string[] };

export function parseCompletionFile(body: string, k: number): CompletionSetRow[] {
  if (Buffer.byteLength(body) > LIMITS.importBytes) throw new AppError('INVALID_INPUT', `The file is larger than ${LIMITS.importBytes / 1024 / 1024} MiB. Nothing was imported.`);
  const issues: ImportIssue[] = [];
  const rows: CompletionSetRow[] = [];
  for (const { line, obj } of jsonlObjects(body, issues)) {
    if (issues.length >= 50) break;
    const prompt = checkText(obj.prompt, 'prompt', LIMITS.promptChars);
    if (typeof prompt !== 'string') {
      issues.push({ line, field: 'prompt', message: prompt.error });
      continue;
    }
    const list = obj.completions;
    if (!Array.isArray(list)) {
      issues.push({ line, field: 'completions', message: list === undefined ? 'is missing' : 'must be a list of strings' });
      continue;
    }
    if (list.length !== k) {
      issues.push({ line, field: 'completions', message: `has ${list.length} completions; this project ranks K = ${k}` });
      continue;
    }
    const completions: string[] = [];
    let bad = false;
    list.forEach((c, i) => {
      if (bad) return;
      if (typeof c !== 'string') {
        issues.push({ line, field: `completions[${i}]`, message: 'must be a string' });
        bad = true;
      } else if (unsafeTextReason(c)) {
        issues.push({ line, field: `completions[${i}]`, message: unsafeTextReason(c)! });
        bad = true;
      } else if (c.trim().length === 0) {
        issues.push({ line, field: `completions[${i}]`, message: 'is empty' });
        bad = true;
      } else if (c.length > LIMITS.completionChars) {
        issues.push({ line, field: `completions[${i}]`, message: `is ${c.length} characters; the limit is ${LIMITS.completionChars}` });
        bad = true;
      } else completions.push(c);
    });
    if (bad) continue;
    // Ranking identical texts teaches nothing and no labeler can order them: refuse any repeat.
    // Judged like prompts: NFC, line endings and surrounding whitespace do not make a text differ.
    const normalised = completions.map(normaliseText);
    const repeat = normalised.findIndex((c, i) => normalised.indexOf(c) !== i);
    if (repeat !== -1) {
      issues.push({ line, field: `completions[${repeat}]`, message: `repeats completions[${normalised.indexOf(normalised[repeat])}]; the ${k} completions of a set must all differ` });
      continue;
    }
    const rawModel = obj.model ?? obj.sourceModel ?? obj.source_model;
    if (typeof rawModel !== 'string' || !rawModel.trim()) {
      issues.push({ line, field: 'model', message: rawModel === undefined ? 'is missing (the name of the model that wrote the completions)' : 'must be a non-empty string' });
      continue;
    }
    const unsafeModel = unsafeTextReason(rawModel);
    if (unsafeModel) {
      issues.push({ line, field: 'model', message: unsafeModel });
      continue;
    }
    if (rawModel.length > 200) {
      issues.push({ line, field: 'model', message: 'is longer than 200 characters' });
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
    rows.push({ line, prompt, promptHash: textHash(prompt), completions, model: rawModel.trim(), split, tags });
  }
  if (issues.length) throw issuesError('The file has errors', issues);
  if (rows.length === 0) throw issuesError('The file has no completion sets', [{ line: 1, field: 'prompt', message: 'no rows found' }]);
  if (rows.length > LIMITS.importRows) throw new AppError('INVALID_INPUT', `The file has ${rows.length} rows; the limit is ${LIMITS.importRows}. Nothing was imported.`);
  return rows;
}
