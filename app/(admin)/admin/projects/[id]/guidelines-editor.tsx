'use client';
// Markdown guidelines with a live preview. Saving a changed text makes a new version; every
// submission records the version current when it was made.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Markdown } from '@/app/_components/markdown';
import { call } from '../api';
import styles from '../projects.module.css';

export function GuidelinesEditor({ projectId, body, versions }: { projectId: string; body: string; versions: { version: number; createdAt: string; author: string | null }[] }) {
  const router = useRouter();
  const [text, setText] = useState(body);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    const r = await call<{ project: { guidelineVersion: number } }>(`/api/projects/${projectId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ guidelines: text }) });
    setBusy(false);
    if (!r.ok) setMsg({ ok: false, text: r.error.message });
    else {
      setMsg({ ok: true, text: text === body ? 'No change: the version stays the same.' : `Saved as version ${r.data.project.guidelineVersion}.` });
      router.refresh();
    }
  };
  return (
    <div className="stack">
      <div className={styles.guideGrid}>
        <div className="field">
          <label htmlFor="guidelines">Guidelines (markdown)</label>
          <textarea id="guidelines" className={`textarea ${styles.guideEditor}`} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <section aria-label="Guidelines preview" className={`card card-muted ${styles.guidePreview}`}>
          {text.trim() ? <Markdown>{text}</Markdown> : <p className="muted">Preview</p>}
        </section>
      </div>
      {msg && (
        <div className={`alert ${msg.ok ? 'alert-success' : 'alert-error'}`} role={msg.ok ? 'status' : 'alert'}>
          {msg.text}
        </div>
      )}
      <div className="row">
        <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={busy || text === body}>
          {busy ? 'Saving…' : 'Save as a new version'}
        </button>
        <span className="muted small">
          Versions: {versions.map((v) => `v${v.version} (${v.createdAt.slice(0, 16).replace('T', ' ')}${v.author ? `, ${v.author}` : ''})`).join(' · ')}
        </span>
      </div>
    </div>
  );
}
