'use client';
// The registration form: a project, a name, and the model — a folder of the server's models
// folder, or files chosen on this computer, uploaded one request per file (so a 500 MB
// model.safetensors streams to disk with its own progress bar), then registered. The worker's
// verdict comes back as the POST's answer: the checkpoint, or the reason it was refused, shown
// beside the form with everything chosen left as it was so the admin can fix it and retry.
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckpointView } from '@/lib/data/checkpoints/list-checkpoints';
import type { ModelFolder } from '@/lib/data/bases/models-dir';
import { describeShape } from '@/lib/shared/model-shape';
import { formatBytes } from '@/lib/shared/model-sizing';
import { planUpload } from '@/lib/shared/hf-upload';
import { useFieldErrors } from '@/app/_components/field-errors';
import { call, type ApiFailure } from '../../projects/api';
import styles from './register.module.css';

type Project = { id: string; name: string };
type Mode = 'folder' | 'upload';
type Problem = { text: string; field?: 'folder' | 'files' | 'name' | 'project' };
type Chosen = { file: File; name: string; skip: string | null };
type Progress = { state: 'waiting' | 'sending' | 'done' | 'failed'; sent: number };

/** The chosen files with what is sent (lib/shared/hf-upload decides; the File rides along). */
function planFiles(files: File[]): Chosen[] {
  return planUpload(files.map((file) => ({ file, name: file.name, size: file.size, relativePath: file.webkitRelativePath }))).map(({ file, name, skip }) => ({ file, name, skip }));
}

/** PUT one file as the raw body, reporting bytes sent (fetch cannot report upload progress). */
function putFile(url: string, file: File, onSent: (bytes: number) => void): Promise<{ ok: true } | { ok: false; message: string }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.upload.onprogress = (e) => onSent(e.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve({ ok: true });
      let message = `the server answered ${xhr.status}`;
      try {
        message = (JSON.parse(xhr.responseText) as { error?: ApiFailure }).error?.message ?? message;
      } catch {
        /* not JSON: keep the status */
      }
      resolve({ ok: false, message });
    };
    xhr.onerror = () => resolve({ ok: false, message: 'the connection to the server broke off' });
    xhr.send(file);
  });
}

const fileKey = (projectId: string, files: Chosen[]) => [projectId, ...files.map((c) => `${c.name}:${c.file.size}:${c.file.lastModified}`)].join('|');

export function RegisterForm({ projects, initialProjectId, initialFolders, modelsDir }: { projects: Project[]; initialProjectId: string; initialFolders: ModelFolder[]; modelsDir: string }) {
  const [projectId, setProjectId] = useState(initialProjectId);
  const [name, setName] = useState('');
  const [mode, setMode] = useState<Mode>(initialFolders.length ? 'folder' : 'upload');
  const [folders, setFolders] = useState(initialFolders);
  const [dir, setDir] = useState(modelsDir);
  const [folder, setFolder] = useState(initialFolders.length === 1 ? initialFolders[0].name : '');
  const [bases, setBases] = useState<string[] | null>(null);
  const [listing, setListing] = useState(false);
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [progress, setProgress] = useState<Progress[]>([]);
  const [phase, setPhase] = useState<'idle' | 'uploading' | 'registering'>('idle');
  // One problem at a time, shown above the button; one about a field also marks that field
  // (aria-invalid, described by the message), scrolls to it, and clears when it changes.
  const fe = useFieldErrors();
  const { set: setErrors, clear: clearErrors } = fe;
  const setProblem = useCallback((p: Problem | null) => (!p ? clearErrors() : p.field ? setErrors({ [p.field]: p.text }, null) : setErrors({}, p.text)), [setErrors, clearErrors]);
  const fieldProblem = Object.entries(fe.state.fields)[0];
  const problem: Problem | null = fieldProblem ? { field: fieldProblem[0] as Problem['field'], text: fieldProblem[1] } : fe.state.form ? { text: fe.state.form } : null;
  const [result, setResult] = useState<CheckpointView | null>(null);
  // An upload the server still holds after a refusal that happened before the worker saw it
  // (a taken name, no worker): a retry with the same files reuses it instead of sending them again.
  const kept = useRef<{ id: string; key: string } | null>(null);
  const resultRef = useRef<HTMLElement>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const dirInput = useRef<HTMLInputElement>(null);
  const busy = phase !== 'idle';

  const refresh = useCallback(async (id: string) => {
    setListing(true);
    const r = await call<{ bases: CheckpointView[]; modelsDir: string; folders: ModelFolder[] }>(`/api/projects/${id}/bases`);
    setListing(false);
    if (!r.ok) {
      setProblem({ text: `Could not list the models folder: ${r.error.message}` });
      return;
    }
    setFolders(r.data.folders);
    setDir(r.data.modelsDir);
    setBases(r.data.bases.map((b) => b.name));
    setFolder((cur) => (r.data.folders.some((f) => f.name === cur) ? cur : r.data.folders.length === 1 ? r.data.folders[0].name : ''));
  }, [setProblem]);

  useEffect(() => {
    void refresh(projectId);
  }, [projectId, refresh]);

  useEffect(() => {
    // The success message is a live region; bring it into view too (it is below the form).
    if (result) resultRef.current?.scrollIntoView({ block: 'nearest' });
  }, [result]);

  /** The latest pick (files or a folder) replaces the chosen files; the other input is cleared to match. */
  function choose(list: FileList | null, other: HTMLInputElement | null) {
    if (other) other.value = '';
    const plan = planFiles(Array.from(list ?? []));
    setChosen(plan);
    setProgress(plan.map(() => ({ state: 'waiting', sent: 0 })));
    setProblem(null);
  }

  /** Sends the files (or reuses the upload kept from a refusal) and returns the upload's id. */
  async function upload(send: Chosen[]): Promise<string | null> {
    const key = fileKey(projectId, send);
    if (kept.current?.key === key) {
      const still = await call<{ upload: { files: { name: string }[] } }>(`/api/projects/${projectId}/bases/uploads/${kept.current.id}`);
      if (still.ok && still.data.upload.files.length === send.length) return kept.current.id;
    }
    kept.current = null;
    const created = await call<{ upload: { id: string } }>(`/api/projects/${projectId}/bases/uploads`, { method: 'POST' });
    if (!created.ok) {
      setProblem({ text: `Could not start the upload: ${created.error.message}` });
      return null;
    }
    const id = created.data.upload.id;
    setPhase('uploading');
    setProgress(chosen.map(() => ({ state: 'waiting', sent: 0 })));
    for (const c of send) {
      const i = chosen.indexOf(c);
      const mark = (p: Progress) => setProgress((cur) => cur.map((old, j) => (j === i ? p : old)));
      mark({ state: 'sending', sent: 0 });
      const url = `/api/projects/${projectId}/bases/uploads/${id}/${encodeURIComponent(c.name)}`;
      const r = await putFile(url, c.file, (sent) => mark({ state: 'sending', sent }));
      if (!r.ok) {
        mark({ state: 'failed', sent: 0 });
        setProblem({ text: `Uploading ${c.name} failed: ${r.message}`, field: 'files' });
        await call(`/api/projects/${projectId}/bases/uploads/${id}`, { method: 'DELETE' });
        return null;
      }
      mark({ state: 'done', sent: c.file.size });
    }
    return id;
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (busy) return;
    setProblem(null);
    setResult(null);
    const body: { name?: string; folder?: string; upload?: string } = {};
    if (name.trim()) body.name = name.trim();
    let uploadId: string | null = null;
    if (mode === 'folder') {
      if (!folder) return setProblem({ text: folders.length ? 'Choose one of the model folders first.' : `Put a model folder into ${dir} on the server first, or upload the files from this computer.`, field: 'folder' });
      body.folder = folder;
    } else {
      const send = chosen.filter((c) => !c.skip);
      if (!send.length) return setProblem({ text: "Choose the model's files (config.json, model.safetensors and the tokenizer files), its folder, or one .tar/.zip of it first.", field: 'files' });
      uploadId = await upload(send);
      if (!uploadId) return setPhase('idle');
      body.upload = uploadId;
    }
    setPhase('registering');
    const r = await call<{ checkpoint: CheckpointView }>(`/api/projects/${projectId}/bases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    setPhase('idle');
    if (r.ok) {
      kept.current = null;
      setResult(r.data.checkpoint);
      void refresh(projectId);
      return;
    }
    const field = (r.error.details as { field?: string } | undefined)?.field;
    setProblem({ text: r.error.message, field: field === 'name' ? 'name' : field === 'folder' ? 'folder' : field === 'upload' ? 'files' : undefined });
    if (uploadId) {
      // The worker removes an upload it has checked; one refused before that is kept for a retry.
      if (r.error.code === 'CONFLICT' || r.error.code === 'UNAVAILABLE') kept.current = { id: uploadId, key: fileKey(projectId, chosen.filter((c) => !c.skip)) };
      else await call(`/api/projects/${projectId}/bases/uploads/${uploadId}`, { method: 'DELETE' });
    }
  }

  const project = projects.find((p) => p.id === projectId);
  const sending = chosen.filter((c) => !c.skip);
  const totalBytes = sending.reduce((n, c) => n + c.file.size, 0);

  return (
    <div className="stack-lg">
      <form className={`card stack ${styles.form}`} {...fe.formProps} onSubmit={submit} aria-label="Register a base model">
        <div className={`form-grid ${styles.top}`}>
          <div className="field">
            <label htmlFor="base-project">Project</label>
            <select id="base-project" className="select" {...fe.fieldProps('project')} value={projectId} disabled={busy} onChange={(e) => { setProjectId(e.target.value); setResult(null); setProblem(null); }}>
              {projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
            <p className="hint">{bases === null ? '\u00a0' : bases.length ? `Bases already here: ${bases.join(', ')}.` : 'No base models in this project yet.'}</p>
          </div>
          <div className="field">
            <label htmlFor="base-name">Name (optional)</label>
            <input
              id="base-name"
              className="input"
              value={name}
              maxLength={120}
              disabled={busy}
              onChange={(e) => setName(e.target.value)}
              {...fe.fieldProps('name', 'base-name-hint')}
              placeholder={mode === 'folder' && folder ? folder.split('/').pop() : undefined}
            />
            <p id="base-name-hint" className="hint">
              Defaults to the folder&apos;s name (an upload: the archive&apos;s name, else uploaded-base).
            </p>
          </div>
        </div>

        <fieldset className={styles.choice} disabled={busy}>
          <legend className="label">Where the model is</legend>
          <div className="row">
            <label className="checkbox">
              <input type="radio" name="base-mode" value="folder" checked={mode === 'folder'} onChange={() => { setMode('folder'); setProblem(null); }} /> In the server&apos;s models folder
            </label>
            <label className="checkbox">
              <input type="radio" name="base-mode" value="upload" checked={mode === 'upload'} onChange={() => { setMode('upload'); setProblem(null); }} /> On this computer (upload)
            </label>
          </div>
        </fieldset>

        {mode === 'folder' ? (
          <fieldset className={`${styles.choice} ${problem?.field === 'folder' ? styles.invalid : ''}`} disabled={busy} tabIndex={-1} {...fe.fieldProps('folder', 'models-dir-hint')}>
            <legend className="label">Model folder</legend>
            <p id="models-dir-hint" className="hint">
              The server&apos;s models folder is <code>{dir}</code>. Without internet there, download the model on a machine that has it, for example with{' '}
              <code>huggingface-cli download openai-community/gpt2 --local-dir gpt2</code>, copy that folder into the models folder, and refresh this list.
            </p>
            {folders.length === 0 ? (
              <p className="muted">No model folders there yet (a model folder is one with a config.json, one or two levels down).</p>
            ) : (
              <ul className={styles.options}>
                {folders.map((f) => (
                  <li key={f.name}>
                    <label className={styles.option}>
                      <input type="radio" name="base-folder" value={f.name} checked={folder === f.name} onChange={() => { setFolder(f.name); setProblem(null); }} />
                      <span className={styles.optionText}>
                        <span className="mono">{f.name}</span>
                        <span className="small muted">
                          {f.weightsBytes === null ? 'no model.safetensors' : `weights ${formatBytes(f.weightsBytes)}`} · {f.files.join(', ')}
                        </span>
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
            <div className="row">
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => void refresh(projectId)} disabled={listing}>
                {listing ? 'Refreshing…' : 'Refresh the list'}
              </button>
            </div>
          </fieldset>
        ) : (
          <fieldset className={`${styles.choice} ${problem?.field === 'files' ? styles.invalid : ''}`} disabled={busy}>
            <legend className="label">Model files</legend>
            <div className="grid-2">
              <div className="field">
                <label htmlFor="base-files">Choose the files</label>
                <input
                  id="base-files"
                  type="file"
                  multiple
                  className="input"
                  {...fe.fieldProps('files', 'base-files-hint')}
                  ref={(el) => {
                    filesInput.current = el;
                    fe.fieldProps('files').ref(el);
                  }}
                  onChange={(e) => choose(e.target.files, dirInput.current)} />
                <p id="base-files-hint" className="hint">
                  config.json, model.safetensors, and vocab.json + merges.txt or tokenizer.json (tokenizer_config.json too if there is one) — or one .tar, .tar.gz or .zip
                  of the folder.
                </p>
              </div>
              <div className="field">
                <label htmlFor="base-dir">Or choose the whole folder</label>
                <input id="base-dir" type="file" className="input" aria-describedby="base-dir-hint" ref={dirInput} onChange={(e) => choose(e.target.files, filesInput.current)} {...{ webkitdirectory: '' }} />
                <p id="base-dir-hint" className="hint">Only the files Hone reads are sent (not README.md, other weight formats or subfolders).</p>
              </div>
            </div>
            {chosen.length > 0 && (
              <div className="stack-sm">
                <p className="small" aria-live="polite">
                  {sending.length} file{sending.length === 1 ? '' : 's'} to send, {formatBytes(totalBytes)}
                  {chosen.length > sending.length && `; ${chosen.length - sending.length} left out`}.
                </p>
                <ul className={styles.files} aria-label="Chosen files">
                  {chosen.map((c, i) => {
                    const p = progress[i] ?? { state: 'waiting', sent: 0 };
                    const pct = c.file.size ? Math.min(100, Math.round((p.sent / c.file.size) * 100)) : p.state === 'done' ? 100 : 0;
                    return (
                      <li key={`${c.name}-${i}`} className={styles.file}>
                        <span className={`mono ${styles.fileName}`}>{c.name}</span>
                        <span className="small muted nowrap">{formatBytes(c.file.size)}</span>
                        <span className="small">
                          {c.skip
                            ? `not sent (${c.skip})`
                            : p.state === 'done'
                              ? 'uploaded'
                              : p.state === 'failed'
                                ? 'failed'
                                : p.state === 'sending'
                                  ? `${pct}%`
                                  : 'to send'}
                        </span>
                        {!c.skip && (
                          <span className={styles.bar} role="progressbar" aria-label={`Upload of ${c.name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
                            <span className={p.state === 'failed' ? styles.barFailed : styles.barFill} style={{ width: `${p.state === 'failed' ? 100 : pct}%` }} />
                          </span>
                        )}
                      </li>
                    );
                  })}
                </ul>
              </div>
            )}
          </fieldset>
        )}

        {problem && (
          <div id={problem.field ? fe.errorId(problem.field) : fe.formErrorId} className="alert alert-error" role="alert">
            <p className={styles.message}>{problem.text}</p>
          </div>
        )}
        {phase === 'registering' && (
          <div className="alert alert-info" role="status">
            <p>
              A worker is checking every tensor and converting the model for {project?.name ?? 'the project'}. This takes a few seconds for a small model and about a minute for
              500 MB; keep this page open.
            </p>
          </div>
        )}
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {phase === 'uploading' ? 'Uploading…' : phase === 'registering' ? 'Registering…' : mode === 'upload' ? 'Upload and register' : 'Register'}
          </button>
        </div>
      </form>

      {result && (
        <section ref={resultRef} className="card stack-sm" aria-labelledby="registered-title">
          <div className="alert alert-success" role="status">
            <p id="registered-title">
              Registered <strong>{result.name}</strong> as a base model of {result.projectName ?? project?.name}.
            </p>
          </div>
          <dl className={styles.facts}>
            <dt>Shape</dt>
            <dd>{result.shape ? describeShape(result.shape) : result.preset}</dd>
            <dt>Source</dt>
            <dd className={styles.wrap}>{result.source ?? '—'}</dd>
            <dt>SHA-256</dt>
            <dd className={`mono small ${styles.wrap}`}>{result.weightsSha256 ?? '—'}</dd>
            <dt>Size</dt>
            <dd>{result.sizeBytes === null ? '—' : formatBytes(result.sizeBytes)}</dd>
          </dl>
          <div className="row">
            <Link href="/admin/rounds" className="btn btn-primary">
              Launch a round on it
            </Link>
            <Link href="/admin/checkpoints" className="btn btn-secondary">
              All checkpoints
            </Link>
          </div>
        </section>
      )}
    </div>
  );
}
