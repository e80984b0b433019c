'use client';
// Build a selection, then: download it in the browser (streamed, with live progress), queue it
// as a background job, or freeze it as a snapshot. Shows the curl command for the same export.
import { useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { FieldError, FormStatus, useFieldErrors } from '@/app/_components/field-errors';
import { EMPTY_FILTER, RequestError, filterObject, filterParams, formatBytes, readError, type FilterState } from './filter-query';

type Format = { id: string; title: string; description: string; fields: string[] };
type Props = {
  projectId: string;
  projectSlug: string;
  formats: Format[];
  rounds: { id: string; number: number }[];
  labelers: { id: string; name: string }[];
  snapshots: { id: string; sha256: string; rowCount: number; filterText: string }[];
  origin: string;
};

type Download = { state: 'idle' | 'running' | 'done' | 'error'; bytes: number; rows: number; message?: string; url?: string; filename?: string };

export function ExportPanel({ projectId, projectSlug, formats, rounds, labelers, snapshots, origin }: Props) {
  const router = useRouter();
  const [format, setFormat] = useState(formats[0]?.id ?? '');
  const [filter, setFilter] = useState<FilterState>(EMPTY_FILTER);
  const [snapshotId, setSnapshotId] = useState('');
  const [gzip, setGzip] = useState(false);
  const [dl, setDl] = useState<Download>({ state: 'idle', bytes: 0, rows: 0 });
  const [notice, setNotice] = useState<string | null>(null);
  // Errors go to the filter field they are about, or beside the buttons.
  const fe = useFieldErrors();
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const selected = formats.find((f) => f.id === format);
  const set = <K extends keyof FilterState>(k: K, v: FilterState[K]) => setFilter((f) => ({ ...f, [k]: v }));

  const qs = filterParams(projectId, filter, snapshotId || undefined);
  if (gzip) qs.set('gzip', '1');
  const path = `/api/exports/${format}?${qs.toString()}`;

  async function download() {
    setNotice(null);
    fe.clear();
    if (dl.url) URL.revokeObjectURL(dl.url);
    const ctrl = new AbortController();
    abort.current = ctrl;
    setDl({ state: 'running', bytes: 0, rows: 0 });
    try {
      const res = await fetch(path, { signal: ctrl.signal });
      if (!res.ok || !res.body) throw new RequestError(await readError(res));
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
      setDl({ state: 'error', bytes: 0, rows: 0, message: aborted ? 'Download cancelled.' : undefined });
      if (!aborted) fe.fromError(err instanceof RequestError ? err.body : { message: `The download broke off: ${(err as Error).message}. Try again.` });
    } finally {
      abort.current = null;
    }
  }

  async function post(url: string, body: unknown): Promise<unknown> {
    setBusy(true);
    setNotice(null);
    fe.clear();
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new RequestError(await readError(res));
      return await res.json();
    } finally {
      setBusy(false);
    }
  }

  async function queueJob() {
    try {
      const { job } = (await post('/api/export-jobs', { format, gzip, filter: filterObject(projectId, filter, snapshotId || undefined) })) as { job: { id: string } };
      setNotice(`Export job ${job.id.slice(0, 8)} queued. It appears under Export jobs below.`);
      router.refresh();
    } catch (err) {
      fe.fromError(err instanceof RequestError ? err.body : { message: 'The server could not be reached. Try again.' });
    }
  }

  async function freeze() {
    try {
      const { snapshot } = (await post('/api/snapshots', { filter: filterObject(projectId, filter) })) as { snapshot: { id: string; sha256: string; rowCount: number } };
      setNotice(`Snapshot ${snapshot.id.slice(0, 8)} frozen: ${snapshot.rowCount} items, sha256 ${snapshot.sha256.slice(0, 16)}…`);
      router.refresh();
    } catch (err) {
      fe.fromError(err instanceof RequestError ? err.body : { message: 'The server could not be reached. Try again.' });
    }
  }

  const fromSnapshot = snapshotId !== '';
  return (
    <form {...fe.formProps} onSubmit={(e) => e.preventDefault()} className="stack" aria-label="Export">
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
          <select id="export-snapshot" {...fe.fieldProps('snapshotId')} className="select" value={snapshotId} onChange={(e) => setSnapshotId(e.target.value)}>
            <option value="">Live data, filtered below</option>
            {snapshots.map((s) => (
              <option key={s.id} value={s.id}>
                Snapshot {s.id.slice(0, 8)} · {s.filterText} · {s.rowCount} items
              </option>
            ))}
          </select>
          <p className="hint">A snapshot is frozen: the same file every time.</p>
          <FieldError form={fe} name="snapshotId" />
        </div>
      </div>

      <fieldset className="stack-sm" disabled={fromSnapshot}>
        <legend>Filters {fromSnapshot && <span className="muted small">(a snapshot keeps the filters it was frozen with)</span>}</legend>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="f-from">From (UTC)</label>
            <input id="f-from" {...fe.fieldProps('from')} className="input" type="date" value={filter.from} onChange={(e) => set('from', e.target.value)} />
            <FieldError form={fe} name="from" />
          </div>
          <div className="field">
            <label htmlFor="f-to">To (UTC, inclusive)</label>
            <input id="f-to" {...fe.fieldProps('to')} className="input" type="date" value={filter.to} onChange={(e) => set('to', e.target.value)} />
            <FieldError form={fe} name="to" />
          </div>
          <div className="field">
            <label htmlFor="f-round">Round</label>
            <select id="f-round" {...fe.fieldProps('roundId')} className="select" value={filter.roundId} onChange={(e) => set('roundId', e.target.value)}>
              <option value="">Any round</option>
              {rounds.map((r) => (
                <option key={r.id} value={r.id}>
                  Round {r.number}
                </option>
              ))}
            </select>
            <FieldError form={fe} name="roundId" />
          </div>
          <div className="field">
            <label htmlFor="f-split">Split</label>
            <select id="f-split" {...fe.fieldProps('split')} className="select" value={filter.split} onChange={(e) => set('split', e.target.value)}>
              <option value="">All splits</option>
              <option value="train">Train</option>
              <option value="val">Validation</option>
              <option value="test">Test</option>
            </select>
            <FieldError form={fe} name="split" />
          </div>
          <div className="field">
            <label htmlFor="f-labelers">Labelers</label>
            <select
              id="f-labelers"
              {...fe.fieldProps('labelerIds', 'f-labelers-hint')}
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
            <p id="f-labelers-hint" className="hint">
              None selected = everyone.
            </p>
            <FieldError form={fe} name="labelerIds" />
          </div>
          <div className="field">
            <label htmlFor="f-agree">Min. agreement with consensus (τ-b)</label>
            <input id="f-agree" {...fe.fieldProps('minAgreement')} className="input" type="number" min={-1} max={1} step={0.05} value={filter.minAgreement} onChange={(e) => set('minAgreement', e.target.value)} />
            <FieldError form={fe} name="minAgreement" />
          </div>
          <div className="field">
            <label htmlFor="f-gold">Min. agreement with gold (τ-b)</label>
            <input id="f-gold" {...fe.fieldProps('minGoldAgreement')} className="input" type="number" min={-1} max={1} step={0.05} value={filter.minGoldAgreement} onChange={(e) => set('minGoldAgreement', e.target.value)} />
            <FieldError form={fe} name="minGoldAgreement" />
          </div>
          <div className="field">
            <label htmlFor="f-gold-acc">Min. gold accuracy (share of gold pairs, 0–1)</label>
            <input id="f-gold-acc" {...fe.fieldProps('minGoldAccuracy')} className="input" type="number" min={0} max={1} step={0.05} value={filter.minGoldAccuracy} onChange={(e) => set('minGoldAccuracy', e.target.value)} />
            <FieldError form={fe} name="minGoldAccuracy" />
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
        <FormStatus form={fe} success={notice} />
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
      {dl.state === 'error' && dl.message && (
        <p role="status" className="muted">
          {dl.message}
        </p>
      )}

      <details>
        <summary>The same export with curl</summary>
        <pre className="mono small" style={{ whiteSpace: 'pre-wrap' }}>
          {`curl -fSL -H "Authorization: Bearer $HONE_TOKEN" \\\n  "${origin}${path}" \\\n  -o hone-${projectSlug}-${format}.jsonl${gzip ? '.gz' : ''}`}
        </pre>
      </details>
    </form>
  );
}
