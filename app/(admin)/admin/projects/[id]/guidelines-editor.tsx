'use client';
// Markdown guidelines with a live preview. Saving a changed text makes a new version; every
// submission records the version current when it was made.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { FieldError, FormStatus, useFieldErrors } from '@/app/_components/field-errors';
import { Markdown } from '@/app/_components/markdown';
import { call } from '../api';
import styles from '../projects.module.css';

export function GuidelinesEditor({ projectId, body, versions }: { projectId: string; body: string; versions: { version: number; createdAt: string; author: string | null }[] }) {
  const router = useRouter();
  const [text, setText] = useState(body);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fe = useFieldErrors();
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaved(null);
    fe.clear();
    setBusy(true);
    const r = await call<{ project: { guidelineVersion: number } }>(`/api/projects/${projectId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ guidelines: text }) });
    setBusy(false);
    if (!r.ok) fe.fromError(r.error);
    else {
      setSaved(text === body ? 'No change: the version stays the same.' : `Saved as version ${r.data.project.guidelineVersion}.`);
      router.refresh();
    }
  };
  return (
    <form {...fe.formProps} onSubmit={save} className="stack" aria-label="Guidelines">
      <div className={styles.guideGrid}>
        <div className="field">
          <label htmlFor="guidelines">Guidelines (markdown)</label>
          <textarea id="guidelines" className={`textarea ${styles.guideEditor}`} value={text} onChange={(e) => setText(e.target.value)} {...fe.fieldProps('guidelines')} />
          <FieldError form={fe} name="guidelines" />
        </div>
        <section aria-label="Guidelines preview" className={`card card-muted ${styles.guidePreview}`}>
          {text.trim() ? <Markdown>{text}</Markdown> : <p className="muted">Preview</p>}
        </section>
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy || text === body}>
          {busy ? 'Saving…' : 'Save as a new version'}
        </button>
        <FormStatus form={fe} success={saved} />
        <span className="muted small">
          Versions: {versions.map((v) => `v${v.version} (${v.createdAt.slice(0, 16).replace('T', ' ')}${v.author ? `, ${v.author}` : ''})`).join(' · ')}
        </span>
      </div>
    </form>
  );
}
