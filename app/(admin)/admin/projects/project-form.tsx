'use client';
// Create or edit a project's settings: name, description, K, overlap, task mix, lease, and
// (on create) the first guidelines.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { K_MAX, K_MIN } from '@/lib/shared/labeling';
import { call } from './api';
import styles from './projects.module.css';

export type ProjectFields = {
  name: string;
  description: string;
  k: number;
  overlap: number;
  mixDemonstration: number;
  mixDialogue: number;
  mixRanking: number;
  leaseMinutes: number;
  autoPromote: boolean;
};

const DEFAULTS: ProjectFields = { name: '', description: '', k: 4, overlap: 3, mixDemonstration: 1, mixDialogue: 1, mixRanking: 1, leaseMinutes: 30, autoPromote: false };

type Issue = { path: string; message: string };

export function ProjectForm({ projectId, initial }: { projectId?: string; initial?: ProjectFields }) {
  const router = useRouter();
  const [f, setF] = useState<ProjectFields>(initial ?? DEFAULTS);
  const [guidelines, setGuidelines] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const err = (k: string) => issues.find((i) => i.path === k)?.message;

  const num = (k: keyof ProjectFields, label: string, props: { min: number; max: number; step?: number }, hint?: string) => (
    <div className="field">
      <label htmlFor={`p-${k}`}>{label}</label>
      <input
        id={`p-${k}`}
        type="number"
        className="input"
        value={String(f[k])}
        onChange={(e) => setF({ ...f, [k]: e.target.value === '' ? 0 : Number(e.target.value) })}
        aria-invalid={err(k) ? true : undefined}
        aria-describedby={`p-${k}-hint`}
        {...props}
      />
      <p id={`p-${k}-hint`} className={err(k) ? 'field-error' : 'hint'}>
        {err(k) ?? hint}
      </p>
    </div>
  );

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setMsg(null);
    setIssues([]);
    const body = projectId ? f : { ...f, guidelines };
    const r = await call<{ project: { id: string } }>(projectId ? `/api/projects/${projectId}` : '/api/projects', {
      method: projectId ? 'PATCH' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    setBusy(false);
    if (!r.ok) {
      setIssues(Array.isArray(r.error.details) ? (r.error.details as Issue[]) : []);
      setMsg({ ok: false, text: r.error.message });
      return;
    }
    if (projectId) {
      setMsg({ ok: true, text: 'Settings saved.' });
      router.refresh();
    } else router.push(`/admin/projects/${r.data.project.id}`);
  };

  return (
    <form onSubmit={save} className="stack" noValidate aria-label={projectId ? 'Project settings' : 'Create a project'}>
      {msg && (
        <div className={`alert ${msg.ok ? 'alert-success' : 'alert-error'}`} role={msg.ok ? 'status' : 'alert'}>
          {msg.text}
        </div>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="p-name">Name</label>
          <input id="p-name" className="input" value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} required maxLength={120} aria-invalid={err('name') ? true : undefined} />
          {err('name') && <p className="field-error">{err('name')}</p>}
        </div>
        <div className="field">
          <label htmlFor="p-description">Description</label>
          <input id="p-description" className="input" value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} maxLength={2000} />
        </div>
      </div>
      <div className={styles.numbers}>
        {num('k', 'K (completions per ranking)', { min: K_MIN, max: K_MAX }, `${K_MIN}–${K_MAX}`)}
        {num('overlap', 'Overlap (judgements per set)', { min: 1, max: 20 }, 'labelers who rank each set')}
        {num('leaseMinutes', 'Lease (minutes)', { min: 1, max: 1440 }, 'a task returns to the pool after this')}
        {num('mixDemonstration', 'Mix: demonstrations', { min: 0, max: 1000, step: 0.1 }, 'weight; 0 = none')}
        {num('mixDialogue', 'Mix: dialogues', { min: 0, max: 1000, step: 0.1 }, 'weight; 0 = none')}
        {num('mixRanking', 'Mix: rankings', { min: 0, max: 1000, step: 0.1 }, 'weight; 0 = none')}
      </div>
      <div className="field">
        <label>
          <input type="checkbox" checked={f.autoPromote} onChange={(e) => setF({ ...f, autoPromote: e.target.checked })} /> Promote a
          round&apos;s policy automatically when it passes evaluation
        </label>
      </div>
      {!projectId && (
        <div className="field">
          <label htmlFor="p-guidelines">Guidelines (markdown, version 1)</label>
          <textarea id="p-guidelines" className="textarea" rows={6} value={guidelines} onChange={(e) => setGuidelines(e.target.value)} />
        </div>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : projectId ? 'Save settings' : 'Create project'}
        </button>
      </div>
    </form>
  );
}
