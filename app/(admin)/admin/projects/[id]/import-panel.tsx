'use client';
// Upload prompts (JSONL or CSV) or completion sets (JSONL). The server checks the whole file
// first: any bad line and nothing is imported; the problems are listed by line and field, under
// the file field. A file whose every row was already there is a warning, not a success.
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { FieldError, FormStatus, useFieldErrors } from '@/app/_components/field-errors';
import { call } from '../api';
import styles from '../projects.module.css';
import { importOutcome, type ImportCounts } from './import-outcome';

type Issue = { line: number; field: string; message: string };

function Upload({ id, label, accept, hint, endpoint, noun }: { id: string; label: string; accept: string; hint: string; endpoint: string; noun: 'prompts' | 'sets' }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const fe = useFieldErrors();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ tone: 'success' | 'warning'; text: string } | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const go = async (e: React.FormEvent) => {
    e.preventDefault();
    setDone(null);
    setIssues([]);
    const file = input.current?.files?.[0];
    if (!file) return fe.set({ file: 'Choose a file to import first.' }, null);
    fe.clear();
    setBusy(true);
    const fd = new FormData();
    fd.append('file', file);
    const r = await call<{ result: ImportCounts }>(endpoint, { method: 'POST', body: fd });
    setBusy(false);
    if (r.ok) {
      setDone(importOutcome(noun, r.data.result));
      if (input.current) input.current.value = '';
      router.refresh();
    } else {
      // The file is the only field: its problems (by line and field) go under it.
      setIssues(((r.error.details as { issues?: Issue[] } | undefined)?.issues ?? []) as Issue[]);
      fe.set({ file: r.error.message }, null);
    }
  };
  const fileProps = fe.fieldProps('file', `${id}-hint`);
  return (
    <form {...fe.formProps} onSubmit={go} className="stack-sm" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{label}</h3>
      <div className="field">
        <label htmlFor={id}>File</label>
        <input
          id={id}
          {...fileProps}
          ref={(el) => {
            input.current = el;
            fileProps.ref(el);
          }}
          type="file"
          accept={accept}
          className="input"
          onChange={() => {
            setIssues([]);
            setDone(null);
          }}
        />
        <p id={`${id}-hint`} className={`hint ${styles.example}`}>
          {hint}
        </p>
        <FieldError form={fe} name="file" />
        {fe.error('file') && issues.length > 1 && (
          <ul className={`field-error ${styles.issues}`} aria-label="Problems in the file">
            {issues.map((i, n) => (
              <li key={n}>
                line {i.line}, {i.field}: {i.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
        <FormStatus form={fe} success={done?.tone === 'success' ? done.text : null} warning={done?.tone === 'warning' ? done.text : null} />
      </div>
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
        noun="prompts"
      />
      <Upload
        id="set-file"
        label={`Completion sets (JSONL, K = ${k})`}
        accept=".jsonl,.ndjson,.json,application/json"
        hint={`One set per line: {"prompt": "…", "completions": [${k} strings], "model": "source model name"}.`}
        endpoint={`/api/projects/${projectId}/completion-sets/import`}
        noun="sets"
      />
    </div>
  );
}
