'use client';
// Autosave: the draft goes to the server a moment after each change, at least every few
// seconds while it differs from the last save, on blur (call flush), and with sendBeacon when
// the page is hidden or closed, or the task page is left for another page of the app.
// Returns the save state for the status line.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from './api';

export type SaveState = { status: 'idle' | 'saving' | 'saved' | 'error'; savedAt: string | null; message: string | null };

export function useAutosave(taskId: string, draft: Record<string, unknown>, opts: { enabled: boolean; initialSavedAt: string | null }) {
  const [state, setState] = useState<SaveState>({ status: opts.initialSavedAt ? 'saved' : 'idle', savedAt: opts.initialSavedAt, message: null });
  const json = JSON.stringify(draft);
  const lastSaved = useRef<string>(json);
  const latest = useRef(json);
  const inflight = useRef<Promise<void> | null>(null);
  const enabled = useRef(opts.enabled);
  latest.current = json;
  enabled.current = opts.enabled;

  const flush = useCallback(async (): Promise<void> => {
    if (!enabled.current) return;
    if (inflight.current) await inflight.current;
    const body = latest.current;
    if (body === lastSaved.current) return;
    setState((s) => ({ ...s, status: 'saving' }));
    const p = api<{ draft: { savedAt: string } }>(`/api/tasks/${taskId}/draft`, { method: 'PUT', body: `{"draft":${body}}` })
      .then((r) => {
        lastSaved.current = body;
        setState({ status: 'saved', savedAt: r.draft.savedAt, message: null });
      })
      .catch((e: unknown) => {
        const msg = e instanceof ApiError ? e.message : 'Saving failed.';
        setState((s) => ({ ...s, status: 'error', message: msg }));
      })
      .finally(() => {
        inflight.current = null;
      });
    inflight.current = p;
    await p;
  }, [taskId]);

  // shortly after each change
  useEffect(() => {
    if (json === lastSaved.current) return;
    const t = setTimeout(() => void flush(), 1500);
    return () => clearTimeout(t);
  }, [json, flush]);

  // and every few seconds while something is unsaved (e.g. after a failed save)
  useEffect(() => {
    const t = setInterval(() => {
      if (latest.current !== lastSaved.current) void flush();
    }, 5000);
    return () => clearInterval(t);
  }, [flush]);

  useEffect(() => {
    const beacon = () => {
      if (!enabled.current || latest.current === lastSaved.current) return;
      const blob = new Blob([`{"draft":${latest.current}}`], { type: 'application/json' });
      if (navigator.sendBeacon(`/api/tasks/${taskId}/draft`, blob)) lastSaved.current = latest.current;
    };
    const onHide = () => {
      if (document.visibilityState === 'hidden') beacon();
    };
    const onBlur = () => void flush();
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', beacon);
    window.addEventListener('blur', onBlur);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', beacon);
      window.removeEventListener('blur', onBlur);
      beacon(); // leaving the page inside the app ("Save and leave", a nav link) unloads nothing
    };
  }, [taskId, flush]);

  const markSaved = useCallback(() => {
    lastSaved.current = latest.current;
  }, []);

  return { state, flush, markSaved, dirty: json !== lastSaved.current };
}
