'use client';
// The launch form's pre-flight check: the launch request as it stands is sent to
// POST /api/rounds/preflight (debounced) and the answer shown per stage — items used, skipped
// per reason with links to the first ones, shortened — and why a stage would stop. The launch
// API runs the same check on the frozen snapshot and refuses what fails here.
import { useEffect, useState } from 'react';
import type { Preflight, PreflightStage, ItemLink } from '@/lib/data/rounds/preflight';
import styles from '../rounds.module.css';

export type PreflightState = { status: 'idle' | 'checking' | 'done' | 'error'; report: Preflight | null; error: string | null };

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** Runs the check whenever `body` changes (null: the settings do not parse yet). */
export function usePreflight(body: object | null): PreflightState {
  const [state, setState] = useState<PreflightState>({ status: 'idle', report: null, error: null });
  const key = body ? JSON.stringify(body) : null;
  useEffect(() => {
    if (!key) {
      setState({ status: 'idle', report: null, error: null });
      return;
    }
    const ctrl = new AbortController();
    setState((s) => ({ ...s, status: 'checking' }));
    const t = setTimeout(async () => {
      try {
        const res = await fetch('/api/rounds/preflight', { method: 'POST', headers: { 'content-type': 'application/json' }, body: key, signal: ctrl.signal });
        const json = await res.json().catch(() => ({}));
        if (res.ok) setState({ status: 'done', report: json.preflight, error: null });
        else setState({ status: 'error', report: null, error: json?.error?.message ?? `The check failed (${res.status}).` });
      } catch (e) {
        if (!ctrl.signal.aborted) setState({ status: 'error', report: null, error: `The check failed: ${(e as Error).message}` });
      }
    }, 400);
    return () => {
      ctrl.abort();
      clearTimeout(t);
    };
  }, [key]);
  return state;
}

function Links({ items, count }: { items: ItemLink[]; count: number }) {
  if (!items.length) return null;
  return (
    <span className={styles.itemLinks}>
      {items.map((i) => (
        <a key={i.itemId} href={i.href} target="_blank" rel="noreferrer" aria-label={`Open ${i.itemType} ${i.itemId}`}>
          {i.itemType} …{i.itemId.slice(-6)}
        </a>
      ))}
      {count > items.length && <span className="muted">and {count - items.length} more</span>}
    </span>
  );
}

function StageBlock({ s }: { s: PreflightStage }) {
  return (
    <div className={`stack-sm ${styles.preflightStage}`} data-testid={`preflight-${s.stage}`} aria-label={`Pre-flight: ${s.title}`} role="group">
      <p className="small" style={{ margin: 0 }}>
        <strong>{s.title}</strong>: {s.used} of {s.total} will train
        {s.skipped > 0 && (
          <>
            {' · '}
            <span className={styles.skipped}>
              {s.skipped} skipped ({pct(s.skipped / Math.max(1, s.total))}; the limit is {pct(s.limit)})
            </span>
          </>
        )}
        {s.shortened.count > 0 && <> · {s.shortened.count} shortened</>}
      </p>
      {(s.reasons.length > 0 || s.shortened.count > 0) && (
        <ul className={`small ${styles.reasons}`}>
          {s.reasons.map((r) => (
            <li key={r.reason}>
              <strong>{r.count}</strong> {r.text} <Links items={r.items} count={r.count} />
            </li>
          ))}
          {s.shortened.count > 0 && (
            <li className="muted">
              <strong>{s.shortened.count}</strong> {s.shortened.text} <Links items={s.shortened.items} count={s.shortened.count} />
            </li>
          )}
        </ul>
      )}
      {s.problem && (
        <div className="alert alert-error small" role="alert">
          {s.problem}
        </div>
      )}
    </div>
  );
}

export function PreflightPanel({ state }: { state: PreflightState }) {
  const r = state.report;
  return (
    <section className="card card-muted stack-sm" aria-labelledby="preflight-title" aria-busy={state.status === 'checking'}>
      <h3 id="preflight-title" className="card-title">
        Pre-flight check
      </h3>
      {state.status === 'error' ? (
        <p className="small field-error">{state.error}</p>
      ) : !r ? (
        <p className="muted small">{state.status === 'checking' ? 'Checking the data…' : 'Fix the settings above to check the data.'}</p>
      ) : (
        <>
          <p className="hint" style={{ margin: 0 }}>
            The project&apos;s data as it is now, against the {r.model.preset} model (context {r.model.context} tokens). Unusable items are skipped and
            counted; a stage stops only when it would skip more than its &quot;maxSkipFraction&quot; setting.
          </p>
          {r.stages.map((s) => (
            <StageBlock key={s.stage} s={s} />
          ))}
          {r.ok && r.stages.every((s) => s.skipped === 0 && s.shortened.count === 0) && <p className="small">Every item fits the model.</p>}
        </>
      )}
    </section>
  );
}
