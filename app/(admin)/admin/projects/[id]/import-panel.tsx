'use client';
// Upload prompts (JSONL or CSV) or completion sets (JSONL). The server checks the whole file
// first: any bad line and nothing is imported; the problems are listed by line and field.
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { call } from '../api';
import styles from '../projects.module.css';

type Issue = { line: number; field: string; message: string };
type Outcome = { ok: true; text: string } | { ok: false; text: string; issues: Issue[] };

function Upload({ id, label, accept, hint, endpoint, summarize }: { id: string; label: string; accept: string; hint: string; endpoint: string; summarize: (r: Record<string, number>) => string }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [out, setOut] = useState<Outcome | null>(null);
  const go = async (e: React.FormEvent) => {
    e.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) {
      setOut({ ok: false, text: 'Choose a file first.', issues: [] });
      return;
    }
    setBusy(true);
    setOut(null);
    const fd = new FormData();
    fd.append('file', file);
    const r = await call<{ result: Record<string, number> }>(endpoint, { method: 'POST', body: fd });
    setBusy(false);
    if (r.ok) {
      setOut({ ok: true, text: summarize(r.data.result) });
      if (input.current) input.current.value = '';
      router.refresh();
    } else {
      const issues = ((r.error.details as { issues?: Issue[] } | undefined)?.issues ?? []) as Issue[];
      setOut({ ok: false, text: r.error.message, issues });
    }
  };
  return (
    <form onSubmit={go} className="stack-sm" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{label}</h3>
      <div className="field">
        <label htmlFor={id}>File</label>
        <input id={id} ref={input} type="file" accept={accept} className="input" aria-describedby={`${id}-hint`} />
        <p id={`${id}-hint`} className={`hint ${styles.example}`}>
          {hint}
        </p>
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      {out && (
        <div className={`alert ${out.ok ? 'alert-success' : 'alert-error'}`} role={out.ok ? 'status' : 'alert'}>
          <p>{out.text}</p>
          {!out.ok && out.issues.length > 1 && (
            <ul className={styles.issues}>
              {out.issues.map((i, n) => (
                <li key={n}>
                  line {i.line}, {i.field}: {i.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

export function ImportPanel({ projectId, k }: { projectId: string; k: number }) {
  return (
    <div className="grid-2">
      <Upload
        id="prompt-file"
        label="Prompts (JSONL or CSV)"
        accept=".jsonl,.ndjson,.json,.csv,text/csv,application/json"
        hint={'JSONL: {"text": "…", "split": "train|val|test", "tags": ["…"]} per line.\nCSV: a header row with text (and optional split, tags separated by ;).'}
        endpoint={`/api/projects/${projectId}/prompts/import`}
        summarize={(r) => `Imported ${r.imported} prompt${r.imported === 1 ? '' : 's'}; skipped ${r.duplicates} duplicate${r.duplicates === 1 ? '' : 's'}; created ${r.tasksCreated} task${r.tasksCreated === 1 ? '' : 's'}.`}
      />
      <Upload
        id="set-file"
        label={`Completion sets (JSONL, K = ${k})`}
        accept=".jsonl,.ndjson,.json,application/json"
        hint={`One set per line: {"prompt": "…", "completions": [${k} strings], "model": "source model name"}.`}
        endpoint={`/api/projects/${projectId}/completion-sets/import`}
        summarize={(r) => `Imported ${r.sets} set${r.sets === 1 ? '' : 's'} as ranking tasks; skipped ${r.duplicates} duplicate${r.duplicates === 1 ? '' : 's'}; ${r.promptsCreated} new prompt${r.promptsCreated === 1 ? '' : 's'}.`}
      />
    </div>
  );
}
