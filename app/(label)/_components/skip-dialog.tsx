'use client';
// "Skip this task": the labeler says why. No reason is chosen for them, so "Skip task" stays
// disabled until one is; the form is rebuilt each time the dialog opens.
import { useState } from 'react';
import { SKIP_REASONS } from '@/lib/shared/labeling';
import { Modal } from './modal';

export function SkipDialog({ open, busy, onClose, onSkip }: { open: boolean; busy: boolean; onClose: () => void; onSkip: (reason: string) => void }) {
  return (
    <Modal open={open} onClose={onClose} title="Skip this task">
      <SkipForm busy={busy} onClose={onClose} onSkip={onSkip} />
    </Modal>
  );
}

function SkipForm({ busy, onClose, onSkip }: { busy: boolean; onClose: () => void; onSkip: (reason: string) => void }) {
  const [reason, setReason] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const picked = SKIP_REASONS.find((r) => r.id === reason);
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (picked && !busy) onSkip(note.trim() ? `${picked.label}: ${note.trim()}` : picked.label);
      }}
    >
      <fieldset className="stack-sm" disabled={busy}>
        <legend>Why do you skip it?</legend>
        {SKIP_REASONS.map((r) => (
          <label key={r.id} className="checkbox">
            <input type="radio" name="skip-reason" value={r.id} checked={reason === r.id} onChange={() => setReason(r.id)} />
            {r.label}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="skip-note">Details (optional)</label>
        <input id="skip-note" className="input" value={note} maxLength={300} onChange={(e) => setNote(e.target.value)} readOnly={busy} />
      </div>
      <div className="row">
        <button type="submit" className="btn btn-danger" disabled={!picked || busy} aria-describedby={picked ? undefined : 'skip-why'}>
          {busy ? 'Skipping…' : 'Skip task'}
        </button>
        {!picked && (
          <span id="skip-why" className="muted small">
            Choose a reason first.
          </span>
        )}
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
