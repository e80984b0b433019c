'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import type { LabelerHome } from '@/lib/data/tasks/labeler-home';
import { TASK_KINDS, TASK_KIND_LABEL, type TaskKindName } from '@/lib/shared/labeling';
import { api } from '../_components/api';
import { useKeys } from '../_components/keys';
import { parseKind, taskHref } from '../_components/chosen-kind';
import { Modal } from '../_components/modal';
import styles from '../_components/label.module.css';

const KIND_KEY = 'hone.label.kind';
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

export function HomeClient({ home, name }: { home: LabelerHome; name: string }) {
  const router = useRouter();
  const [projectId, setProjectId] = useState<string>(home.projects[0]?.id ?? '');
  const [kind, setKind] = useState<TaskKindName | ''>('');
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  // the kind chosen earlier in this tab stays chosen when the labeler comes back here
  useEffect(() => setKind(parseKind(sessionStorage.getItem(KIND_KEY)) ?? ''), []);
  const chooseKind = (k: TaskKindName | '') => {
    setKind(k);
    if (k) sessionStorage.setItem(KIND_KEY, k);
    else sessionStorage.removeItem(KIND_KEY);
  };
  const [msg, setMsg] = useState<string | null>(null);
  const [help, setHelp] = useState(false);

  const next = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setMsg(null);
    try {
      const r = await api<{ task: { taskId: string } | null; message?: string }>('/api/tasks/next', { body: { ...(projectId ? { projectId } : {}), ...(kind ? { kind } : {}) } });
      if (r.task) {
        router.push(taskHref(r.task.taskId, kind || null)); // the task page keeps asking for this kind
        return;
      }
      setMsg(r.message ?? 'No task is available right now.');
    } catch (e) {
      setMsg((e as Error).message);
    }
    inFlight.current = false;
    setBusy(false);
  };

  useKeys({
    n: () => void next(),
    g: () => projectId && router.push(`/label/guidelines/${projectId}`),
    '?': () => setHelp((h) => !h),
  });

  return (
    <div className={`stack-lg ${styles.home}`}>
      <div className="page-header">
        <h1>Hello, {name}</h1>
        <button type="button" className={`btn btn-ghost btn-sm ${styles.keysOnly}`} onClick={() => setHelp(true)}>
          Keys <kbd>?</kbd>
        </button>
      </div>

      <section className="card stack" aria-labelledby="start-h">
        <h2 id="start-h" className="card-title">
          Start labeling
        </h2>
        {home.projects.length === 0 ? (
          <p className="muted">There are no projects yet. An admin creates them under Projects.</p>
        ) : (
          <div className="form-grid">
            <div className="field">
              <label htmlFor="project">Project</label>
              <select id="project" className="select" value={projectId} onChange={(e) => setProjectId(e.target.value)}>
                {home.projects.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} ({p.openTasks} open{p.openArena > 0 ? `, ${p.openArena} arena votes first` : ''})
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="kind">Task kind</label>
              <select id="kind" className="select" value={kind} onChange={(e) => chooseKind(e.target.value as TaskKindName | '')}>
                <option value="">Any (the project&apos;s mix)</option>
                {TASK_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {TASK_KIND_LABEL[k]}
                  </option>
                ))}
              </select>
            </div>
          </div>
        )}
        <div className="row">
          <button type="button" className="btn btn-primary" onClick={() => void next()} disabled={busy || home.projects.length === 0} data-shortcuts="n">
            {busy ? 'Finding a task…' : 'Next task'} <kbd className={styles.kbdLight}>N</kbd>
          </button>
          {projectId && (
            <Link className="btn" href={`/label/guidelines/${projectId}`}>
              Guidelines <kbd>G</kbd>
            </Link>
          )}
        </div>
        {home.projects.find((p) => p.id === projectId && p.openArena > 0) && (
          <p className="muted small" data-testid="arena-open">
            This project has {home.projects.find((p) => p.id === projectId)!.openArena} open arena vote(s): they come before other tasks until the evaluation is closed.
          </p>
        )}
        {msg && (
          <p className="alert alert-info" role="status">
            {msg}
          </p>
        )}
      </section>

      <section aria-labelledby="counts-h" className="stack-sm">
        <h2 id="counts-h">Your work</h2>
        <div className={styles.counts}>
          {TASK_KINDS.map((k) => (
            <div key={k} className="card">
              <div className={styles.count} data-testid={`count-${k}`}>
                {home.counts[k]}
              </div>
              <div className={`muted ${styles.countLabel}`}>{TASK_KIND_LABEL[k]}s submitted</div>
            </div>
          ))}
          <div className="card">
            <div className={styles.count}>{home.today}</div>
            <div className="muted">submitted today</div>
          </div>
        </div>
      </section>

      {home.inProgress.length > 0 && (
        <section aria-labelledby="progress-h" className="stack-sm">
          <h2 id="progress-h">In progress</h2>
          <ul className="stack-sm">
            {home.inProgress.map((i) => (
              <li key={i.taskId} className={styles.progressItem}>
                <Link href={`/label/tasks/${i.taskId}`} className={styles.progressLink} title={i.snippet || undefined}>
                  {TASK_KIND_LABEL[i.kind]}: {i.snippet || 'task'}
                </Link>
                <span className={`badge ${i.status === 'EXPIRED' ? 'badge-danger' : 'badge-muted'}`}>{i.status === 'EXPIRED' ? 'lease expired, draft kept' : 'leased'}</span>
                <span className="muted small">{i.projectName}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="recent-h" className="stack-sm">
        <h2 id="recent-h">Recent work</h2>
        {home.recent.length === 0 ? (
          <p className="muted">Nothing yet. Press N to start.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Prompt</th>
                  <th scope="col">Project</th>
                  <th scope="col">Status</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {home.recent.map((i) => (
                  <tr key={i.taskId}>
                    <td>{TASK_KIND_LABEL[i.kind]}</td>
                    <td>
                      <Link href={`/label/tasks/${i.taskId}`} className={styles.snippet} style={{ display: 'inline-block' }}>
                        {i.snippet || '—'}
                      </Link>
                    </td>
                    <td>{i.projectName}</td>
                    <td>{i.status === 'SUBMITTED' ? 'submitted' : 'skipped'}</td>
                    <td className="nowrap">{when(i.at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <Modal open={help} onClose={() => setHelp(false)} title="Keyboard shortcuts">
        <table className="table">
          <tbody>
            <tr>
              <th scope="row">
                <kbd>N</kbd>
              </th>
              <td>Next task</td>
            </tr>
            <tr>
              <th scope="row">
                <kbd>G</kbd>
              </th>
              <td>Guidelines of the chosen project</td>
            </tr>
            <tr>
              <th scope="row">
                <kbd>?</kbd>
              </th>
              <td>These keys (every task page has its own list)</td>
            </tr>
          </tbody>
        </table>
      </Modal>
    </div>
  );
}
