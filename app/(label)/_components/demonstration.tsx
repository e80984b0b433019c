'use client';
// Demonstration: the prompt, and the labeler's ideal answer with a live markdown preview. The
// project's model can suggest an answer (live as the labeler pauses, or on Alt+S); "Use it"
// puts it in the box, and the submit names it so the raw suggestion is kept beside the answer
// (an edited suggestion becomes a preference pair, edited ≻ raw).
import { useCallback, useMemo, useRef, useState } from 'react';
import type { TaskView } from '@/lib/data/tasks/get-task-view';
import { LIMITS } from '@/lib/shared/labeling';
import { LongText, Markdown } from '@/app/_components/markdown';
import { api } from './api';
import { SuggestionPanel } from './suggestion-panel';
import { useSuggestion, type Suggestion } from './use-suggestion';
import { SUBMIT_ERROR_ID, TaskShell, type Guidelines } from './task-shell';
import styles from './label.module.css';

type DemoDraft = { kind: 'DEMONSTRATION'; text: string; suggestionId?: string; suggestionFrom?: string };

export function DemonstrationTask({ view, guidelines }: { view: TaskView; guidelines: Guidelines }) {
  const saved = view.draft as Partial<DemoDraft> | null;
  const [text, setText] = useState(saved?.text ?? '');
  // the suggestion the labeler accepted into the box (kept until they discard it)
  const [accepted, setAccepted] = useState<{ id: string; fromModel: string } | null>(saved?.suggestionId ? { id: saved.suggestionId, fromModel: saved.suggestionFrom ?? 'the model' } : null);
  const [preview, setPreview] = useState(true);
  const area = useRef<HTMLTextAreaElement>(null);
  const draft = useMemo<DemoDraft>(() => ({ kind: 'DEMONSTRATION', text, ...(accepted ? { suggestionId: accepted.id, suggestionFrom: accepted.fromModel } : {}) }), [text, accepted]);
  const over = text.length > LIMITS.answerChars;
  const [invalid, setInvalid] = useState<string | null>(null);

  const request = useCallback(
    async (signal: AbortSignal) => (await api<{ suggestion: Suggestion }>(`/api/tasks/${view.taskId}/suggest`, { method: 'POST', body: {}, signal })).suggestion,
    [view.taskId],
  );
  // One context per task: the answer depends on the prompt only. None once one is accepted.
  const sug = useSuggestion({ state: view.suggestions, contextKey: accepted || view.status !== 'ACTIVE' ? null : view.taskId, activity: text, request });

  const accept = (s: Suggestion) => {
    setText(s.text);
    setAccepted({ id: s.id, fromModel: s.fromModel });
    sug.dismiss();
    requestAnimationFrame(() => area.current?.focus());
  };

  return (
    <TaskShell
      view={view}
      guidelines={guidelines}
      draft={draft}
      onInvalid={setInvalid}
      build={() =>
        !text.trim()
          ? { error: 'Write an answer first: the answer is empty.', field: 'answer' }
          : over
            ? { error: `The answer is ${(text.length - LIMITS.answerChars).toLocaleString('en')} characters too long: shorten it to ${LIMITS.answerChars.toLocaleString('en')}.`, field: 'answer' }
            : { body: { text, ...(accepted ? { suggestionId: accepted.id } : {}) } }
      }
      keys={{
        e: () => area.current?.focus(),
        p: () => setPreview((p) => !p),
        'alt+s': () => sug.ask(),
        'alt+a': () => sug.suggestion && accept(sug.suggestion),
      }}
      keyHelp={[
        ['E', 'Jump to the answer editor'],
        ['P', 'Show or hide the preview'],
        ['Alt + S', 'Ask the model for a suggested answer'],
        ['Alt + A', 'Use the suggestion shown (it replaces the answer)'],
      ]}
    >
      <section className="card stack-sm" aria-labelledby="prompt-h">
        <h2 id="prompt-h" className="card-title">
          Prompt
        </h2>
        <LongText text={view.prompt?.text ?? ''} className={styles.prompt} />
      </section>
      {view.suggestions && !accepted && (
        <SuggestionPanel
          mode={view.suggestions.mode}
          available={view.suggestions.available}
          reason={view.suggestions.reason}
          suggestion={sug.suggestion}
          asking={sug.asking}
          error={sug.error}
          acceptLabel={text.trim() ? 'Replace my answer with it' : 'Use this answer'}
          askLabel="Suggest an answer"
          canAsk={view.status === 'ACTIVE'}
          onAsk={sug.ask}
          onCancel={sug.cancel}
          onAccept={accept}
          onIgnore={sug.dismiss}
        />
      )}
      <div className={preview ? styles.editorGrid : undefined}>
        <div className="field">
          <label htmlFor="answer">Your ideal answer (markdown)</label>
          <textarea
            id="answer"
            ref={area}
            className={`textarea ${styles.editor}`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-describedby={invalid === 'answer' ? `answer-hint ${SUBMIT_ERROR_ID}` : 'answer-hint'}
            aria-invalid={over || invalid === 'answer' || undefined}
            autoFocus
          />
          <p id="answer-hint" className={`hint ${over ? 'field-error' : ''}`}>
            {accepted ? `Started from a suggestion by ${accepted.fromModel}: your edit and the original are both kept. ` : ''}
            {text.length.toLocaleString('en')} / {LIMITS.answerChars.toLocaleString('en')} characters · saved as you type
          </p>
          {accepted && (
            <div className="row">
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                onClick={() => {
                  setAccepted(null);
                  setText('');
                }}
              >
                Discard suggestion
              </button>
            </div>
          )}
        </div>
        {preview && (
          <section aria-label="Preview" className={`card card-muted ${styles.preview}`}>
            {text.trim() ? <Markdown>{text}</Markdown> : <p className="muted">The preview of your answer appears here.</p>}
          </section>
        )}
      </div>
      <button type="button" className="btn btn-sm btn-ghost" onClick={() => setPreview((p) => !p)} aria-pressed={preview}>
        Preview <kbd>P</kbd>
      </button>
    </TaskShell>
  );
}
