// What an import's counts mean to the admin: a success, or a warning when every row was already
// in the project (nothing changed, so a green box would mislead).
export type ImportCounts = Partial<Record<'imported' | 'sets' | 'duplicates' | 'tasksCreated' | 'promptsCreated' | 'rows', number>>;
export type ImportOutcome = { tone: 'success' | 'warning'; text: string };

const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

export function importOutcome(kind: 'prompts' | 'sets', r: ImportCounts): ImportOutcome {
  const added = (kind === 'prompts' ? r.imported : r.sets) ?? 0;
  const duplicates = r.duplicates ?? 0;
  const rows = r.rows ?? added + duplicates;
  if (added === 0) {
    return {
      tone: 'warning',
      text: duplicates > 0 ? `Nothing new was imported: ${rows === 1 ? 'the only row was' : `all ${rows} rows were`} already in the project.` : 'Nothing was imported: the file has no rows.',
    };
  }
  const skipped = duplicates ? `; skipped ${n(duplicates, 'duplicate')}` : '';
  if (kind === 'prompts') return { tone: 'success', text: `Imported ${n(added, 'prompt')}${skipped}; created ${n(r.tasksCreated ?? 0, 'task')}.` };
  return { tone: 'success', text: `Imported ${n(added, 'set')} as ranking tasks${skipped}; ${n(r.promptsCreated ?? 0, 'new prompt')}.` };
}
