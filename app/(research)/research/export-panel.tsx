'use client';
// Build a selection, then: download it in the browser (streamed, with live progress), queue it
// as a background job, or freeze it as a snapshot. Shows the curl command for the same export.
import { useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { EMPTY_FILTER, errorMessage, filterObject, filterParams, formatBytes, type FilterState } from './filter-query';

type Format = { id: string; title: string; description: string; fields: string[] };
type Props = {
  projectId: string;
  formats: Format[];
  rounds: { id: string; number: number }[];
  labelers: { id: string; name: string }[];
  snapshots: { id: string; sha256: string; rowCount: number }[];
  origin: string;
};

type Download = { state: 'idle' | 'running' | 'done' | 'error'; bytes: number; rows: number; message?: string; url?: string; filename?: string };

export function ExportPanel({ projectId, formats, rounds, labelers, snapshots, origin }: Props) {
  const router = useRouter();
  const [format, setFormat] = useState(formats[0]?.id ?? '');
  const [filter, setFilter] = useState<FilterState>(EMPTY_FILTER);
  const [snapshotId, setSnapshotId] = useState('');
  const [gzip, setGzip] = useState(false);
  const [dl, setDl] = useState<Download>({ state: 'idle', bytes: 0, rows: 0 });
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const selected = formats.find((f) => f.id === format);
  const set = <K extends keyof FilterState>(k: K, v: FilterState[K]) => setFilter((f) => ({ ...f, [k]: v }));

  const qs = filterParams(projectId, filter, snapshotId || undefined);
  if (gzip) qs.set('gzip', '1');
  const path = `/api/exports/${format}?${qs.toString()}`;

  async function download() {
    setNotice(null);
    if (dl.url) URL.revokeObjectURL(dl.url);
    const ctrl = new AbortController();
    abort.current = ctrl;
    setDl({ state: 'running', bytes: 0, rows: 0 });
    try {
      const res = await fetch(path, { signal: ctrl.signal });
      if (!res.ok || !res.body) throw new Error(await errorMessage(res));
      const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `${format}.jsonl`;
      const reader = res.body.getReader();
      const parts: Uint8Array[] = [];
      let bytes = 0;
      let rows = 0;
      let last = 0;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parts.push(value);
        bytes += value.length;
        if (!gzip) for (let i = 0; i < value.length; i++) if (value[i] === 10) rows++;
        const now = performance.now();
        if (now - last > 100) {
          last = now;
          setDl({ state: 'running', bytes, rows });
        }
      }
      const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: res.headers.get('content-type') ?? 'application/octet-stream' }));
      setDl({ state: 'done', bytes, rows, url, filename });
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
    } catch (err) {
      const aborted = (err as Error).name === 'AbortError';
      setDl({ state: 'error', bytes: 0, rows: 0, message: aborted ? 'Download cancelled.' : `Export failed: ${(err as Error).message}` });
    } finally {
      abort.current = null;
    }
  }

  async function post(url: string, body: unknown): Promise<unknown> {
    setBusy(true);
    setNotice(null);
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(await errorMessage(res));
      return await res.json();
    } finally {
      setBusy(false);
    }
  }

  async function queueJob() {
    try {
      const { job } = (await post('/api/export-jobs', { format, gzip, filter: filterObject(projectId, filter, snapshotId || undefined) })) as { job: { id: string } };
      setNotice({ kind: 'success', text: `Export job ${job.id} queued. It appears under Export jobs below.` });
      router.refresh();
    } catch (err) {
      setNotice({ kind: 'error', text: (err as Error).message });
    }
  }

  async function freeze() {
    try {
      const { snapshot } = (await post('/api/snapshots', { filter: filterObject(projectId, filter) })) as { snapshot: { id: string; sha256: string; rowCount: number } };
      setNotice({ kind: 'success', text: `Snapshot ${snapshot.id} frozen: ${snapshot.rowCount} items, sha256 ${snapshot.sha256.slice(0, 16)}…` });
      router.refresh();
    } catch (err) {
      setNotice({ kind: 'error', text: (err as Error).message });
    }
  }

  const fromSnapshot = snapshotId !== '';
  return (
    <div className="stack">
      <div className="form-grid">
        <div className="field">
          <label htmlFor="export-format">Format</label>
          <select id="export-format" className="select" value={format} onChange={(e) => setFormat(e.target.value)}>
            {formats.map((f) => (
              <option key={f.id} value={f.id}>
                {f.title}
              </option>
            ))}
          </select>
          {selected && (
            <p className="hint">
              {selected.description} Fields: <code>{selected.fields.join(', ')}</code>
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="export-snapshot">Source</label>
          <select id="export-snapshot" className="select" value={snapshotId} onChange={(e) => setSnapshotId(e.target.value)}>
            <option value="">Live data, filtered below</option>
            {snapshots.map((s) => (
              <option key={s.id} value={s.id}>
                Snapshot {s.id.slice(0, 8)} · {s.rowCount} items · {s.sha256.slice(0, 8)}
              </option>
            ))}
          </select>
          <p className="hint">A snapshot is frozen: the same file every time.</p>
        </div>
      </div>

      <fieldset className="stack-sm" disabled={fromSnapshot}>
        <legend>Filters {fromSnapshot && <span className="muted small">(a snapshot keeps the filters it was frozen with)</span>}</legend>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="f-from">From (UTC)</label>
            <input id="f-from" className="input" type="date" value={filter.from} onChange={(e) => set('from', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="f-to">To (UTC, inclusive)</label>
            <input id="f-to" className="input" type="date" value={filter.to} onChange={(e) => set('to', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="f-round">Round</label>
            <select id="f-round" className="select" value={filter.roundId} onChange={(e) => set('roundId', e.target.value)}>
              <option value="">Any round</option>
              {rounds.map((r) => (
                <option key={r.id} value={r.id}>
                  Round {r.number}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-split">Split</label>
            <select id="f-split" className="select" value={filter.split} onChange={(e) => set('split', e.target.value)}>
              <option value="">All splits</option>
              <option value="train">Train</option>
              <option value="val">Validation</option>
              <option value="test">Test</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-labelers">Labelers</label>
            <select
              id="f-labelers"
              className="select"
              multiple
              size={Math.min(4, Math.max(2, labelers.length))}
              value={filter.labelerIds}
              onChange={(e) => set('labelerIds', [...e.target.selectedOptions].map((o) => o.value))}
            >
              {labelers.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
            <p className="hint">None selected = everyone.</p>
          </div>
          <div className="field">
            <label htmlFor="f-agree">Min. agreement with consensus (τ-b)</label>
            <input id="f-agree" className="input" type="number" min={-1} max={1} step={0.05} value={filter.minAgreement} onChange={(e) => set('minAgreement', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="f-gold">Min. agreement with gold (τ-b)</label>
            <input id="f-gold" className="input" type="number" min={-1} max={1} step={0.05} value={filter.minGoldAgreement} onChange={(e) => set('minGoldAgreement', e.target.value)} />
          </div>
        </div>
      </fieldset>

      <label className="checkbox">
        <input type="checkbox" checked={gzip} onChange={(e) => setGzip(e.target.checked)} /> gzip
      </label>

      <div className="row">
        <button type="button" className="btn btn-primary" onClick={download} disabled={dl.state === 'running' || !format}>
          Download
        </button>
        {dl.state === 'running' && (
          <button type="button" className="btn btn-ghost" onClick={() => abort.current?.abort()}>
            Cancel
          </button>
        )}
        <button type="button" className="btn" onClick={queueJob} disabled={busy}>
          Run as background job
        </button>
        <button type="button" className="btn" onClick={freeze} disabled={busy || fromSnapshot}>
          Freeze as snapshot
        </button>
      </div>

      {dl.state === 'running' && (
        <div role="status" aria-live="polite" className="alert alert-info">
          Downloading… {formatBytes(dl.bytes)}
          {!gzip && ` · ${dl.rows.toLocaleString()} rows`}
          <progress aria-label="Download progress" style={{ display: 'block', width: '100%' }} />
        </div>
      )}
      {dl.state === 'done' && (
        <div role="status" className="alert alert-success">
          Downloaded {dl.filename}: {formatBytes(dl.bytes)}
          {!gzip && ` · ${dl.rows.toLocaleString()} rows`}.{' '}
          <a href={dl.url} download={dl.filename}>
            Save again
          </a>
        </div>
      )}
      {dl.state === 'error' && (
        <div role="alert" className="alert alert-error">
          {dl.message}
        </div>
      )}
      {notice && (
        <div role={notice.kind === 'error' ? 'alert' : 'status'} className={`alert alert-${notice.kind}`}>
          {notice.text}
        </div>
      )}

      <details>
        <summary>The same export with curl</summary>
        <pre className="mono small" style={{ whiteSpace: 'pre-wrap' }}>
          {`curl -fSL -H "Authorization: Bearer $HONE_TOKEN" \\\n  "${origin}${path}" \\\n  -o ${format}.jsonl${gzip ? '.gz' : ''}`}
        </pre>
      </details>
    </div>
  );
}
