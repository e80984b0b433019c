'use client';
// Model suggestions in an editor, by the project's mode: LIVE asks once the labeler pauses
// (debounced on every keystroke, so fast typing never asks), ON_KEY only when asked (button or
// Alt+S), OFF never. At most one request is in flight; a context (the prompt, or the user turn
// an assistant turn answers) is asked for once — a cancelled request may be asked again — and
// a context change cancels the request under way. Without a model it says why and asks nothing.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SuggestionState } from '@/lib/data/suggestions/suggestion-state';

export type Suggestion = { id: string; text: string; fromModel: string };

/** How long the labeler must stop typing before a live suggestion is asked for. */
export const PAUSE_MS = 1200;

export function useSuggestion(opts: {
  state: SuggestionState | null;
  /** What the suggestion answers; null when there is nothing to suggest (a user turn is next). */
  contextKey: string | null;
  /** Changes with each keystroke: LIVE waits for it to stay still for PAUSE_MS. */
  activity: unknown;
  /** False while something else holds the editor (a turn being added). */
  idle?: boolean;
  request: (signal: AbortSignal) => Promise<Suggestion>;
}) {
  const { state, contextKey, activity, idle = true, request } = opts;
  const [shown, setShown] = useState<(Suggestion & { key: string }) | null>(null);
  const [asking, setAsking] = useState<string | null>(null); // the context being asked for
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(new Set<string>());
  const inflight = useRef<AbortController | null>(null);
  const requestRef = useRef(request);
  requestRef.current = request;

  const ask = useCallback(
    async (key: string | null = contextKey) => {
      if (!key || inflight.current) return;
      if (!state?.available) {
        setError(state?.reason ?? 'Suggestions are not available here.');
        return;
      }
      asked.current.add(key);
      const ctl = new AbortController();
      inflight.current = ctl;
      setAsking(key);
      setError(null);
      try {
        const s = await requestRef.current(ctl.signal);
        if (!ctl.signal.aborted) setShown({ ...s, key });
      } catch (e) {
        if (ctl.signal.aborted) asked.current.delete(key); // cancelled: may be asked again
        else setError((e as Error).message);
      } finally {
        if (inflight.current === ctl) inflight.current = null;
        setAsking((k) => (k === key ? null : k));
      }
    },
    [contextKey, state],
  );

  const cancel = useCallback(() => inflight.current?.abort(), []);

  // A new context: the request for the old one is no longer wanted.
  useEffect(() => {
    if (inflight.current && asking !== contextKey) inflight.current.abort();
    setError(null);
  }, [contextKey]); // only on a context change (asking is read, not watched)

  // LIVE: ask after a pause, once per context.
  useEffect(() => {
    if (state?.mode !== 'LIVE' || !state.available || !contextKey || !idle || asked.current.has(contextKey)) return;
    const t = setTimeout(() => void ask(contextKey), PAUSE_MS);
    return () => clearTimeout(t);
  }, [activity, contextKey, idle, state, ask]);

  useEffect(() => () => inflight.current?.abort(), []);

  return {
    /** The suggestion for the current context, if one came back and is still on offer. */
    suggestion: shown && shown.key === contextKey ? shown : null,
    asking: asking !== null && asking === contextKey,
    error,
    ask: () => void ask(),
    cancel,
    /** Accepted or ignored: it leaves the panel (and is not asked for again). */
    dismiss: () => setShown(null),
  };
}
