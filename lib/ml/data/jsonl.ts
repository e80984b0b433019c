// JSONL readers for the CLI: one record per line, blank lines skipped; every error names the
// file, the line and the field.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';

export function parseJsonl<S extends z.ZodType>(text: string, schema: S, source = 'input'): z.infer<S>[] {
  const out: z.infer<S>[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new Error(`${source}:${i + 1}: invalid JSON (${(e as Error).message})`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.length ? issue.path.join('.') : '(record)';
      throw new Error(`${source}:${i + 1}: ${field}: ${issue.message}`);
    }
    out.push(parsed.data);
  }
  return out;
}

export function readJsonl<S extends z.ZodType>(file: string, schema: S): z.infer<S>[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  return parseJsonl(text, schema, file);
}
