'use client';
// Demonstration: the prompt, and the labeler's ideal answer with a live markdown preview.
import { useMemo, useRef, useState } from 'react';
import type { TaskView } from '@/lib/data/tasks/get-task-view';
import { LIMITS } from '@/lib/shared/labeling';
import { LongText, Markdown } from '@/app/_components/markdown';
import { SUBMIT_ERROR_ID, TaskShell, type Guidelines } from './task-shell';
import styles from './label.module.css';

export function DemonstrationTask({ view, guidelines }: { view: TaskView; guidelines: Guidelines }) {
  const initial = (view.draft?.text as string | undefined) ?? '';
  const [text, setText] = useState(initial);
  const [preview, setPreview] = useState(true);
  const area = useRef<HTMLTextAreaElement>(null);
  const draft = useMemo(() => ({ kind: 'DEMONSTRATION', text }), [text]);
  const over = text.length > LIMITS.answerChars;
  const [invalid, setInvalid] = useState<string | null>(null);

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
            : { body: { text } }
      }
      keys={{ e: () => area.current?.focus(), p: () => setPreview((p) => !p) }}
      keyHelp={[
        ['E', 'Jump to the answer editor'],
        ['P', 'Show or hide the preview'],
      ]}
    >
      <section className="card stack-sm" aria-labelledby="prompt-h">
        <h2 id="prompt-h" className="card-title">
          Prompt
        </h2>
        <LongText text={view.prompt?.text ?? ''} className={styles.prompt} />
      </section>
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
            {text.length.toLocaleString('en')} / {LIMITS.answerChars.toLocaleString('en')} characters · saved as you type
          </p>
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
