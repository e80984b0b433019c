// When a turn or answer made from a model suggestion counts as an edit of it: its text differs
// once both are put in one canonical form (Unicode NFC, \n line endings, no whitespace at the
// ends). A browser changes line endings and editors add stray spaces; neither is an edit.
// The same rule in SQL: lib/data/exports/edit-pairs.ts (canonicalSql).

/** The code points String.prototype.trim removes (so SQL can trim exactly the same). */
export const TRIMMED_CODE_POINTS = [9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279];

export function canonicalText(s: string): string {
  return s.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

/** True when `edited` says something other than the raw suggestion. */
export function isEdit(edited: string, raw: string): boolean {
  return canonicalText(edited) !== canonicalText(raw);
}
