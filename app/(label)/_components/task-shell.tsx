'use client';
// The frame around every task page: what the task is, the lease, the autosave status,
// guidelines (G), keys (?), skip (S), submit (Ctrl/Cmd+Enter) with an idempotency key, the
// expired-lease path (work kept as a draft, Resume), and what to do after submitting.
// Submit, skip and next run one request at a time, whether started by a key or a button, and
// the task's inputs are locked while a submit runs. Errors show in the sticky bar, right above
// its buttons, and a "fix this first" error goes away as soon as the work is fixed.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { TaskView } from '@/lib/data/tasks/get-task-view';
import { TASK_KIND_LABEL } from '@/lib/shared/labeling';
import { chosenKind, taskHref } from './chosen-kind';
import { newIdempotencyKey } from '@/lib/shared/ids';
import { api, ApiError } from './api';
import { useKeys, type KeyMap } from './keys';
import { Markdown } from '@/app/_components/markdown';
import { Modal } from './modal';
import { SkipDialog } from './skip-dialog';
import { useAutosave } from './use-autosave';
import styles from './label.module.css';

export type Guidelines = { version: number; body: string };
export type KeyHelp = [string, string][];
/** The work to submit, or what to fix first (and the id of the field to fix, if there is one). */
export type Built = { body: Record<string, unknown> } | { error: string; field?: string };
type ShownError = { text: string; from: 'build' | 'server'; field?: string };
/** The id of the error in the bar, for a faulty field's aria-describedby. */
export const SUBMIT_ERROR_ID = 'submit-error';

const COMMON_KEYS: KeyHelp = [
  ['Ctrl/⌘ + Enter', 'Submit'],
  ['G', 'Show or hide the guidelines'],
  ['?', 'Show these keys'],
  ['S', 'Skip this task (asks why)'],
  ['N', 'Next task (after submitting)'],
  ['Esc', 'Close a dialog, or leave a control so single keys work again'],
];

function useCountdown(iso: string) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  return Math.round((new Date(iso).getTime() - now) / 60_000);
}

export function TaskShell(props: {
  view: TaskView;
  guidelines: Guidelines;
  draft: Record<string, unknown>;
  build: () => Built;
  keys?: KeyMap;
  keyHelp?: KeyHelp;
  children: ReactNode;
  onSubmitted?: () => void;
  /** Change it to store the draft at once (the dialogue does after each added turn). */
  saveNowKey?: number;
  /** Told which field (by id) the error in the bar is about, so the page marks it; null once fixed. */
  onInvalid?: (field: string | null) => void;
  /** A short status shown in the bar for a moment, e.g. what a shortcut just changed. */
  notice?: string | null;
}) {
  const { view, guidelines } = props;
  const router = useRouter();
  const [status, setStatus] = useState(view.status);
  const [expiresAt, setExpiresAt] = useState(view.expiresAt);
  const [expired, setExpired] = useState(view.leaseExpired);
  // `build`: the work is not ready (cleared once it is); `server`: what the last request answered
  const [error, setError] = useState<ShownError | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [skipping, setSkipping] = useState(false);
  const [finding, setFinding] = useState(false);
  const inFlight = useRef(false); // set synchronously: a second key press in the same tick sees it
  const [help, setHelp] = useState(false);
  const [showGuide, setShowGuide] = useState(false);
  const [skipOpen, setSkipOpen] = useState(false);
  const [nextMsg, setNextMsg] = useState<string | null>(null);
  const keyRef = useRef<string>('');
  if (!keyRef.current) keyRef.current = newIdempotencyKey();
  const started = useRef(Date.now());
  const nextBtn = useRef<HTMLButtonElement>(null);
  const editable = status === 'ACTIVE' || status === 'EXPIRED';
  const { state: save, flush } = useAutosave(view.taskId, props.draft, { enabled: editable, initialSavedAt: view.draftUpdatedAt });
  const minutesLeft = useCountdown(expiresAt);
  useEffect(() => {
    if (props.saveNowKey) void flush();
  }, [props.saveNowKey, flush]);
  const justSubmitted = useRef(false);
  useEffect(() => {
    // after a submit, the next step is one key away: focus "Next task"
    if (status === 'SUBMITTED' && justSubmitted.current) nextBtn.current?.focus();
  }, [status]);

  // the kind chosen on labeler home (carried in ?kind=) holds for every next task
  const goNext = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setFinding(true);
    setNextMsg(null);
    const kind = chosenKind();
    try {
      const r = await api<{ task: { taskId: string } | null; message?: string }>('/api/tasks/next', { body: { projectId: view.projectId, ...(kind ? { kind } : {}) } });
      if (r.task) {
        router.push(taskHref(r.task.taskId, kind));
        return; // stay busy until the next page replaces this one
      }
      setNextMsg(`${r.message ?? 'No more tasks right now.'}${kind ? ` (You asked for ${TASK_KIND_LABEL[kind].toLowerCase()} tasks only: choose "Any" on your task list for others.)` : ''}`);
    } catch (e) {
      setNextMsg((e as Error).message);
    }
    inFlight.current = false;
    setFinding(false);
  }, [router, view.projectId]);

  const submit = useCallback(async () => {
    if (inFlight.current || status === 'SUBMITTED' || !editable) return;
    setError(null);
    const built = props.build();
    if ('error' in built) {
      setError({ text: built.error, from: 'build', field: built.field });
      // take the labeler to what needs fixing (the bar keeps the message in view)
      if (built.field) requestAnimationFrame(() => document.getElementById(built.field!)?.focus());
      return;
    }
    inFlight.current = true;
    setSubmitting(true);
    const elapsed = Number((props.draft.elapsedMs as number | undefined) ?? 0) + (Date.now() - started.current);
    try {
      await api(`/api/tasks/${view.taskId}/submit`, {
        body: { kind: view.kind, ...built.body, timeMs: Math.round(elapsed), ...(guidelines.version > 0 ? { guidelineVersion: guidelines.version } : {}) },
        headers: { 'idempotency-key': keyRef.current },
      });
      justSubmitted.current = true;
      setStatus('SUBMITTED');
      props.onSubmitted?.();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'GONE') setExpired(true);
      if (e instanceof ApiError && e.code === 'CONFLICT' && (e.details as { submitted?: boolean } | undefined)?.submitted) setStatus('SUBMITTED');
      setError({ text: (e as Error).message, from: 'server' });
    } finally {
      inFlight.current = false;
      setSubmitting(false);
    }
  }, [status, editable, props, view.taskId, view.kind]);

  // a "fix this first" message follows the work: it changes or goes once the work is fixed
  const draftJson = JSON.stringify(props.draft);
  const build = props.build;
  useEffect(() => {
    setError((cur) => {
      if (cur?.from !== 'build') return cur;
      const built = build();
      return 'error' in built ? { text: built.error, from: 'build', field: built.field } : null;
    });
    // re-checked when the work changes, not when the callback identity does
  }, [draftJson]);
  const invalidField = error?.field ?? null;
  const onInvalid = props.onInvalid;
  useEffect(() => onInvalid?.(invalidField), [invalidField, onInvalid]);

  const resume = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setError(null);
    try {
      const r = await api<{ lease: { expiresAt: string } }>(`/api/tasks/${view.taskId}/renew`, { body: {} });
      setExpiresAt(r.lease.expiresAt);
      setExpired(false);
      setStatus('ACTIVE');
      keyRef.current = newIdempotencyKey();
    } catch (e) {
      setError({ text: (e as Error).message, from: 'server' });
    } finally {
      inFlight.current = false;
    }
  }, [view.taskId]);

  const skip = useCallback(
    async (reason: string) => {
      if (inFlight.current) return;
      inFlight.current = true;
      setSkipping(true);
      try {
        await flush();
        await api(`/api/tasks/${view.taskId}/skip`, { body: { reason } });
        setSkipOpen(false);
        setStatus('SKIPPED');
      } catch (e) {
        setError({ text: (e as Error).message, from: 'server' });
        setSkipOpen(false);
        return;
      } finally {
        inFlight.current = false;
        setSkipping(false);
      }
      await goNext(); // of the kind the labeler chose
    },
    [flush, view.taskId, goNext],
  );

  const openSkip = () => {
    if (!editable || inFlight.current) return;
    setSkipOpen(true);
  };

  useKeys({
    'mod+enter': () => void submit(),
    '?': () => setHelp((h) => !h),
    g: () => setShowGuide((g) => !g),
    s: openSkip,
    n: () => status !== 'ACTIVE' && void goNext(),
    ...(props.keys ?? {}),
  });

  const saveText =
    save.status === 'saving' ? 'Saving draft…' : save.status === 'error' ? `Draft not saved: ${save.message} Retrying.` : save.savedAt ? `Draft saved ${save.savedAt.slice(11, 19)} UTC` : 'Draft: nothing to save yet';

  return (
    <div className={styles.workspace}>
      <div className={styles.taskBar}>
        <div className="row">
          <span className="badge badge-labeler">{TASK_KIND_LABEL[view.kind]}</span>
          <span className="muted small">{view.projectName}</span>
          <span className="muted small">· guidelines v{guidelines.version}</span>
          {status === 'ACTIVE' && !expired && <span className="muted small">· lease: {minutesLeft > 0 ? `${minutesLeft} min left` : 'expiring'}</span>}
        </div>
        <div className="row">
          <span className={`small ${save.status === 'error' ? styles.saveError : 'muted'}`} role="status" aria-live="polite" data-testid="save-status">
            {editable ? saveText : ''}
          </span>
          <button type="button" className="btn btn-sm btn-ghost" onClick={() => setShowGuide(true)}>
            Guidelines <kbd>G</kbd>
          </button>
          <button type="button" className={`btn btn-sm btn-ghost ${styles.keysOnly}`} onClick={() => setHelp(true)}>
            Keys <kbd>?</kbd>
          </button>
        </div>
      </div>

      {expired && status !== 'SUBMITTED' && (
        <div className="alert alert-warning" role="alert">
          <p>Your lease on this task expired. Your work is kept as a draft. Resume to take the task again (if a slot is still free), then submit.</p>
          <button type="button" className="btn btn-sm btn-primary" onClick={() => void resume()}>
            Resume this task
          </button>
        </div>
      )}
      {status === 'SKIPPED' && (
        <div className="alert alert-info" role="status">
          You skipped this task. {finding ? 'Finding the next one…' : <Link href="/label">Back to your tasks</Link>}
          {nextMsg && <p>{nextMsg}</p>}
        </div>
      )}

      <fieldset className={styles.bare} disabled={!editable || submitting || skipping}>
        <legend className="sr-only">{TASK_KIND_LABEL[view.kind]} task</legend>
        {props.children}
      </fieldset>

      {status === 'SUBMITTED' ? (
        <div className="alert alert-success stack-sm" role="status">
          <p>
            <strong>Submitted.</strong> Thank you.
          </p>
          <div className="row">
            <button ref={nextBtn} type="button" className="btn btn-primary" onClick={() => void goNext()} disabled={finding} data-shortcuts="n">
              {finding ? 'Finding a task…' : 'Next task'} <kbd className={styles.kbdLight}>N</kbd>
            </button>
            <Link className="btn" href="/label">
              Back to my tasks
            </Link>
          </div>
          {nextMsg && <p>{nextMsg}</p>}
        </div>
      ) : (
        <div className={styles.submitBar}>
          {error && (
            <div id={SUBMIT_ERROR_ID} className={`alert alert-error ${styles.barError}`} role="alert" data-testid="submit-error">
              {error.text}
            </div>
          )}
          {props.notice && !error && (
            <p className={`small ${styles.barNotice}`} role="status" data-testid="bar-notice">
              {props.notice}
            </p>
          )}
          <div className={styles.barButtons}>
            <button type="button" className="btn btn-primary" onClick={() => void submit()} disabled={submitting || skipping || !editable}>
              {submitting ? 'Submitting…' : 'Submit'} <kbd className={styles.kbdLight}>Ctrl+Enter</kbd>
            </button>
            <button type="button" className="btn" onClick={openSkip} disabled={!editable || submitting || skipping}>
              Skip… <kbd>S</kbd>
            </button>
            <Link href="/label" className="btn btn-ghost">
              Save and leave
            </Link>
          </div>
        </div>
      )}
      {status === 'SUBMITTED' && error && (
        <div className="alert alert-error" role="alert" data-testid="submit-error">
          {error.text}
        </div>
      )}

      <Modal open={help} onClose={() => setHelp(false)} title="Keyboard shortcuts">
        <table className="table">
          <tbody>
            {[...COMMON_KEYS, ...(props.keyHelp ?? [])].map(([k, what]) => (
              <tr key={k}>
                <th scope="row" className="nowrap">
                  <kbd>{k}</kbd>
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">Single keys work when the focus is on the page, not on a button, box or link (Esc leaves one); a ranking card&apos;s keys also work from its own controls. No key acts while a dialog is open. Tab moves between controls.</p>
      </Modal>

      <Modal open={showGuide} onClose={() => setShowGuide(false)} title={`Guidelines (version ${guidelines.version})`} wide>
        {guidelines.body.trim() ? <Markdown>{guidelines.body}</Markdown> : <p className="muted">This project has no written guidelines yet.</p>}
      </Modal>

      <SkipDialog open={skipOpen} busy={skipping} onClose={() => setSkipOpen(false)} onSkip={(reason) => void skip(reason)} />
    </div>
  );
}
