'use client';
// Long markdown (a 20,000-character prompt, a long dialogue turn) shown clipped behind "Show more",
// so what the reader acts on stays near the top of the page. Short text renders as it is.
import { useId, useState } from 'react';
import { Markdown } from './markdown';
import styles from './markdown.module.css';

/** Clip when the text is longer than `chars` characters or `lines` lines. */
export function LongText({ text, chars = 1200, lines = 16, className }: { text: string; chars?: number; lines?: number; className?: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const long = text.length > chars || text.split('\n').length > lines;
  if (!long) return <Markdown className={className}>{text}</Markdown>;
  return (
    <div className={styles.longText}>
      <div id={id} className={open ? undefined : styles.clipped} data-testid="long-text">
        <Markdown className={className}>{text}</Markdown>
      </div>
      <button type="button" className="btn btn-sm btn-ghost" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        {open ? 'Show less' : `Show more (${text.length.toLocaleString('en')} characters)`}
      </button>
    </div>
  );
}
