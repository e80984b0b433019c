'use client';
// Dialogue: the labeler writes both sides of a conversation. Every turn is stored as it is
// added; "Continue from here" on any turn starts a new branch (the tree keeps every branch);
// the active model suggests the next assistant turn (live as the labeler pauses, or on Alt+S,
// as the project chooses); "Use it" puts it in the box, and the turn added from it keeps the
// raw suggestion beside the edit (an edited suggestion becomes a preference pair). The draft remembers the branch and the
// unsent text, and is stored at once after each added turn, so a reopened task shows the
// branch the labeler was on.
// Adding is guarded like the button, whichever starts it (button or Alt+Enter): one request
// at a time, the box read-only while it runs, and the turn goes under the parent and with the
// role shown when it was started.
import { useCallback, useMemo, useRef, useState } from 'react';
import type { TaskView } from '@/lib/data/tasks/get-task-view';
import type { MessageDTO } from '@/lib/data/conversations/get-conversation';
import { LIMITS } from '@/lib/shared/labeling';
import { api } from './api';
import { LongText } from '@/app/_components/markdown';
import { SuggestionPanel } from './suggestion-panel';
import { useSuggestion, type Suggestion } from './use-suggestion';
import { SUBMIT_ERROR_ID, TaskShell, type Guidelines } from './task-shell';
import styles from './label.module.css';

type DialogueDraft = { kind: 'DIALOGUE'; leafId: string | null; text: string; editedFromId: string | null };

function pathTo(leafId: string | null, byId: Map<string, MessageDTO>): MessageDTO[] {
  const path: MessageDTO[] = [];
  for (let m = leafId ? byId.get(leafId) : undefined; m; m = m.parentId ? byId.get(m.parentId) : undefined) path.unshift(m);
  return path;
}

export function DialogueTask({ view, guidelines }: { view: TaskView; guidelines: Guidelines }) {
  const d = view.dialogue!;
  const saved = view.draft as Partial<DialogueDraft> | null;
  const [messages, setMessages] = useState<MessageDTO[]>(d.messages);
  const own = useMemo(() => messages.filter((m) => !m.isSuggestion), [messages]);
  const byId = useMemo(() => new Map(messages.map((m) => [m.id, m])), [messages]);
  const childrenOf = useCallback((id: string | null) => own.filter((m) => m.parentId === id), [own]);
  const deepest = useCallback(
    (id: string): string => {
      let cur = id;
      for (;;) {
        const kids = childrenOf(cur);
        if (!kids.length) return cur;
        cur = kids[kids.length - 1].id;
      }
    },
    [childrenOf],
  );
  const firstRoot = own.find((m) => m.parentId === null)?.id ?? null;
  const [leafId, setLeafId] = useState<string | null>(saved?.leafId && byId.has(saved.leafId) ? saved.leafId : firstRoot ? deepest(firstRoot) : null);
  const [text, setText] = useState(saved?.text ?? '');
  const [editedFromId, setEditedFromId] = useState<string | null>(saved?.editedFromId ?? null);
  const [busy, setBusy] = useState<'add' | null>(null);
  const busyRef = useRef(false); // set synchronously: a second Alt+Enter in the same tick sees it
  const [added, setAdded] = useState(0); // bumps after each stored turn: the shell saves the draft at once
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const composer = useRef<HTMLTextAreaElement>(null);

  const path = pathTo(leafId, byId);
  const leaf = path[path.length - 1] ?? null;
  const nextRole: 'USER' | 'ASSISTANT' = leaf?.role === 'USER' ? 'ASSISTANT' : 'USER';
  const suggestion = editedFromId ? byId.get(editedFromId) : undefined;
  const draft = useMemo<DialogueDraft>(() => ({ kind: 'DIALOGUE', leafId, text, editedFromId }), [leafId, text, editedFromId]);

  const add = async () => {
    if (busyRef.current) return;
    if (!text.trim()) {
      setError('Write the turn first: the message is empty.');
      return;
    }
    busyRef.current = true;
    setBusy('add');
    setError(null);
    // what the labeler sees now is what is stored, even if the page changes while it runs
    const parentId = leaf?.id ?? null;
    const body = { parentId, role: nextRole, text, ...(editedFromId && suggestion?.parentId === parentId ? { editedFromId } : {}) };
    try {
      const r = await api<{ message: MessageDTO }>(`/api/conversations/${d.conversationId}/messages`, { body });
      setMessages((ms) => [...ms, r.message]);
      setLeafId(r.message.id);
      setText('');
      setEditedFromId(null);
      setAdded((n) => n + 1);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      busyRef.current = false;
      setBusy(null);
      requestAnimationFrame(() => composer.current?.focus());
    }
  };

  // Suggestions answer a user turn: the context is the user turn the next assistant turn follows.
  const request = useCallback(
    async (signal: AbortSignal) => {
      const r = await api<{ message: MessageDTO }>(`/api/conversations/${d.conversationId}/suggest`, { body: { parentId: leaf!.id }, signal });
      setMessages((ms) => [...ms, r.message]);
      return { id: r.message.id, text: r.message.text, fromModel: r.message.fromModel ?? 'the model' };
    },
    [d.conversationId, leaf],
  );
  const suggestFor = leaf?.role === 'USER' && !editedFromId && view.status === 'ACTIVE' ? leaf.id : null;
  const sug = useSuggestion({ state: d.suggestions, contextKey: suggestFor, activity: text, idle: busy === null, request });
  const accept = (s: Suggestion) => {
    if (busyRef.current) return;
    setText(s.text);
    setEditedFromId(s.id);
    sug.dismiss();
    requestAnimationFrame(() => composer.current?.focus());
  };

  const branchFrom = (m: MessageDTO) => {
    if (busyRef.current) return;
    // continue after m: a new turn becomes a sibling of m's current child
    setLeafId(m.id);
    setText('');
    setEditedFromId(null);
    composer.current?.focus();
  };

  const switchSibling = (m: MessageDTO, delta: number) => {
    if (busyRef.current) return;
    const sibs = childrenOf(m.parentId);
    const at = sibs.findIndex((s) => s.id === m.id);
    const next = sibs[(at + delta + sibs.length) % sibs.length];
    setLeafId(deepest(next.id));
  };


  return (
    <TaskShell
      view={view}
      guidelines={guidelines}
      draft={draft}
      saveNowKey={added}
      onInvalid={setInvalid}
      build={() =>
        text.trim()
          ? { error: 'You have an unsent turn in the box: add it (Alt+Enter) or clear it before submitting.', field: 'composer' }
          : !own.some((m) => m.role === 'ASSISTANT')
            ? { error: 'Write at least one assistant turn before submitting.', field: 'composer' }
            : { body: { leafMessageId: leafId ?? undefined } }
      }
      keys={{
        'alt+enter': () => void add(),
        'alt+s': () => sug.ask(),
        'alt+a': () => sug.suggestion && accept(sug.suggestion),
        e: () => composer.current?.focus(),
      }}
      keyHelp={[
        ['Alt + Enter', 'Add the turn in the box'],
        ['Alt + S', 'Ask the model for the next assistant turn'],
        ['Alt + A', 'Use the suggestion shown (it replaces the box)'],
        ['E', 'Jump to the message box'],
        ['Tab', 'Reach "Continue from here" and branch switches on each turn'],
      ]}
    >
      <section aria-labelledby="thread-h" className="stack-sm">
        <h2 id="thread-h">Conversation {path.length ? `(${path.length} turn${path.length > 1 ? 's' : ''} on this branch)` : ''}</h2>
        <ol className={styles.thread} data-testid="dialogue-thread">
          {path.map((m, i) => {
            const sibs = childrenOf(m.parentId);
            const at = sibs.findIndex((s) => s.id === m.id);
            return (
              <li key={m.id} className={m.role === 'USER' ? styles.turnUser : styles.turnAssistant} aria-label={`Turn ${i + 1}: ${m.role === 'USER' ? 'user' : 'assistant'}`}>
                <div className="row-between">
                  <span className={styles.turnRole}>
                    {m.role === 'USER' ? 'User' : 'Assistant'}
                    {m.editedFromId ? ' · edited from a model suggestion' : ''}
                  </span>
                  <div className="row">
                    {sibs.length > 1 && (
                      <span className="row small" role="group" aria-label={`Branches at turn ${i + 1}`}>
                        <button type="button" className="btn btn-sm btn-ghost" onClick={() => switchSibling(m, -1)} aria-label={`Previous branch at turn ${i + 1}`}>
                          ‹
                        </button>
                        <span>
                          branch {at + 1}/{sibs.length}
                        </span>
                        <button type="button" className="btn btn-sm btn-ghost" onClick={() => switchSibling(m, 1)} aria-label={`Next branch at turn ${i + 1}`}>
                          ›
                        </button>
                      </span>
                    )}
                    {m.id !== leaf?.id && (
                      <button type="button" className="btn btn-sm btn-ghost" onClick={() => branchFrom(m)} disabled={busy !== null} aria-label={`Continue from turn ${i + 1} (new branch)`}>
                        Continue from here
                      </button>
                    )}
                  </div>
                </div>
                <LongText text={m.text} chars={800} lines={12} />
              </li>
            );
          })}
        </ol>
        {leaf && childrenOf(leaf.id).length > 0 && (
          <p className="row small">
            <span className="muted">
              This turn already goes on in {childrenOf(leaf.id).length} branch{childrenOf(leaf.id).length > 1 ? 'es' : ''}; what you write now starts another.
            </span>
            <button type="button" className="btn btn-sm" onClick={() => setLeafId(deepest(leaf.id))} disabled={busy !== null}>
              Show the existing branch
            </button>
          </p>
        )}
      </section>

      {!suggestion && (
        <SuggestionPanel
          mode={d.suggestions.mode}
          available={d.suggestions.available}
          reason={d.suggestions.reason}
          suggestion={sug.suggestion}
          asking={sug.asking}
          error={sug.error}
          idleHint={leaf?.role !== 'USER' ? 'Suggestions answer a user turn: write the user turn first.' : null}
          acceptLabel={text.trim() ? 'Replace the box with it' : 'Use this turn'}
          askLabel="Suggest assistant turn"
          canAsk={suggestFor !== null && busy === null}
          onAsk={sug.ask}
          onCancel={sug.cancel}
          onAccept={accept}
          onIgnore={sug.dismiss}
        />
      )}
      <section className="card stack-sm" aria-label="Write the next turn">
        <div className="field">
          <label id="composer-label" htmlFor="composer">
            Next turn: {nextRole === 'USER' ? 'user' : 'assistant'}
            {leaf && childrenOf(leaf.id).length > 0 ? ' (starts a new branch here)' : ''}
          </label>
          <textarea
            id="composer"
            ref={composer}
            className="textarea"
            rows={5}
            value={text}
            maxLength={LIMITS.messageChars}
            onChange={(e) => setText(e.target.value)}
            readOnly={busy !== null}
            aria-busy={busy !== null}
            aria-invalid={invalid === 'composer' || undefined}
            aria-describedby={invalid === 'composer' ? `composer-hint ${SUBMIT_ERROR_ID}` : 'composer-hint'}
            autoFocus
          />
          <p id="composer-hint" className="hint">
            {suggestion ? `Editing a suggestion from ${suggestion.fromModel ?? 'the model'}: your edit and the original are both kept. ` : ''}
            <span className={styles.keysOnly}>Alt+Enter adds the turn.</span>
          </p>
        </div>
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <div className="row">
          <button type="button" className="btn btn-primary" onClick={() => void add()} disabled={busy !== null}>
            {busy === 'add' ? 'Adding…' : `Add ${nextRole === 'USER' ? 'user' : 'assistant'} turn`} <kbd className={styles.kbdLight}>Alt+Enter</kbd>
          </button>
          {suggestion && (
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() => {
                setText('');
                setEditedFromId(null);
              }}
            >
              Discard suggestion
            </button>
          )}
        </div>
      </section>
    </TaskShell>
  );
}
