'use client';
// A native <dialog> opened with showModal(): focus moves in, Escape closes, focus returns.
import { useEffect, useRef, type ReactNode } from 'react';
import styles from './label.module.css';

export function Modal({ open, onClose, title, children, wide }: { open: boolean; onClose: () => void; title: string; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className={`${styles.dialog} ${wide ? styles.dialogWide : ''}`} aria-label={title} onClose={onClose} onCancel={onClose}>
      <div className="row-between">
        <h2 className={styles.dialogTitle}>{title}</h2>
        <button type="button" className="btn btn-sm btn-ghost" onClick={onClose}>
          Close <kbd>Esc</kbd>
        </button>
      </div>
      <div className={styles.dialogBody}>{open ? children : null}</div>
    </dialog>
  );
}
